-- wrk script: GET Observation/{id} on random ids read from the file named by IDS (one id per line).
-- IDS=obs.txt wrk -t2 -c4 -d30s --latency -s bench/wrk/read.lua http://localhost:8080
local ids = {}
for line in io.lines(os.getenv("IDS") or "obs.txt") do ids[#ids + 1] = line end
request = function()
  return wrk.format("GET", "/fhir/Observation/" .. ids[math.random(#ids)], {["Accept"] = "application/fhir+json"})
end
