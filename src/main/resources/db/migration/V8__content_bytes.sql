-- The size of each current resource's JSON, so a page of results can be cut by bytes (not only by count) without
-- reading the resources that would not fit (issue 12: a writer's huge resources must not exhaust the heap).
alter table resource add column content_bytes integer;
update resource set content_bytes = octet_length(content::text) where content is not null;
