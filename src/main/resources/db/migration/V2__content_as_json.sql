-- Keep each resource's JSON exactly as Carnet's encoder wrote it (resourceType first, compact), so reads and
-- pages of results can be served without parsing and re-encoding every resource. `json` is still a JSON
-- type: it is validated on input and can be cast to jsonb for ad-hoc queries.
alter table resource alter column content type json using content::json;
alter table resource_history alter column content type json using content::json;
