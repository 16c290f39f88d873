-- A document's unique id collides only with documents the filer may see (ADR 0012): two documents may share one
-- unique id when the second filer could not see the first, so the key is the pair.
alter table document_identity drop constraint document_identity_pkey;
alter table document_identity add primary key (unique_id, docref_id);
create index document_identity_patient on document_identity (patient_id, unique_id);
