-- Documents (issue 6, ADR 0010). The content of a document lives in the blob store; these rows tie it to its
-- DocumentReference and make a document's unique id (masterIdentifier) filed once, whatever route it arrives by.

-- One stored content, served as Binary/<binary_id>. docref_id is null while a raw upload waits for the
-- DocumentReference that claims it; such rows are removed by the repair command once older than its grace time.
create table document_content (
    binary_id    text primary key,
    patient_id   text not null,
    docref_id    text,
    sha256       text not null,
    sha1         text not null,
    size         bigint not null,
    content_type text not null,
    stored_at    timestamptz not null default now()
);
create index document_content_docref on document_content (docref_id);
create index document_content_blob on document_content (patient_id, sha256);

-- The documents filed, by unique id: a second arrival of the same unique id is a duplicate, not a new document.
create table document_identity (
    unique_id  text primary key,
    docref_id  text not null unique,
    patient_id text not null
);
