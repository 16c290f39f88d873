-- When each professional last opened the default view of a record's documents, so that the next view can flag what
-- is new since (the "new since my last access" of the DMP's professional view).
create table document_view_seen (
    patient_id text        not null,
    actor      text        not null,
    seen_at    timestamptz not null,
    primary key (patient_id, actor)
);
