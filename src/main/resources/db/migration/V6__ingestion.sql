-- Ingestion (issue 6, ADR 0011): one row per inbound item, keyed by its source fingerprint, written in the same
-- transaction as what the item filed. Re-sending an item finds its row and changes nothing; a crash mid-item
-- leaves neither the row nor the data. Quarantined and failed items keep their payload so they can be replayed.
create table ingest_item (
    fingerprint text primary key,
    connector   text not null,
    source      text not null,
    status      text not null check (status in ('FILED', 'DUPLICATE', 'QUARANTINED', 'FAILED')),
    reason      text,
    patient_id  text,
    resources   text[] not null default '{}',
    payload     bytea,
    attempts    integer not null default 1,
    received_at timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index ingest_item_status on ingest_item (connector, status, updated_at);
