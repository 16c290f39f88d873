-- wrk script: GET Observation/{id} on random ids read from the file named by IDS (one id per line).
-- IDS=obs.txt wrk -t2 -c4 -d30s --latency -s bench/wrk/read.lua http://localhost:8080
local ids = {}
-- TOKEN, if set, is sent as a bearer token (Carnet: curl -s -u dr-moreau:demo -d grant_type=client_credentials
-- http://localhost:8080/oauth2/token).
local headers = {["Accept"] = "application/fhir+json"}
if os.getenv("TOKEN") then headers["Authorization"] = "Bearer " .. os.getenv("TOKEN") end
for line in io.lines(os.getenv("IDS") or "obs.txt") do ids[#ids + 1] = line end
request = function()
  return wrk.format("GET", "/fhir/Observation/" .. ids[math.random(#ids)], headers)
end
