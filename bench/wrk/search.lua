-- wrk script: patient-scoped Observation search on random patients read from the file named by IDS.
-- IDS=patients.txt wrk -t2 -c4 -d30s --latency -s bench/wrk/search.lua http://localhost:8080
local ids = {}
for line in io.lines(os.getenv("IDS") or "patients.txt") do ids[#ids + 1] = line end
local codes = {"29463-7", "8480-6", "4548-4", "14682-9", "718-7"}
request = function()
  return wrk.format("GET", "/fhir/Observation?patient=" .. ids[math.random(#ids)] .. "&code=http://loinc.org%7C"
      .. codes[math.random(#codes)] .. "&date=ge2019-01-01", {["Accept"] = "application/fhir+json"})
end
