-- wrk script: patient-scoped Observation search on random patients read from the file named by IDS.
-- IDS=patients.txt wrk -t2 -c4 -d30s --latency -s bench/wrk/search.lua http://localhost:8080
local ids = {}
-- TOKEN, if set, is sent as a bearer token (Carnet: curl -s -u dr-moreau:demo -d grant_type=client_credentials
-- http://localhost:8080/oauth2/token).
local headers = {["Accept"] = "application/fhir+json"}
if os.getenv("TOKEN") then headers["Authorization"] = "Bearer " .. os.getenv("TOKEN") end
for line in io.lines(os.getenv("IDS") or "patients.txt") do ids[#ids + 1] = line end
local codes = {"29463-7", "8480-6", "4548-4", "14682-9", "718-7"}
request = function()
  return wrk.format("GET", "/fhir/Observation?patient=" .. ids[math.random(#ids)] .. "&code=http://loinc.org%7C"
      .. codes[math.random(#codes)] .. "&date=ge2019-01-01", headers)
end
