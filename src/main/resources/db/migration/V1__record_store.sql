-- The record store: every FHIR resource whole (JSONB) with its version history, the patient whose
-- compartment it belongs to, and typed search-index rows. Rows of one patient's data carry patient_id,
-- the future distribution column (ARCHITECTURE.md decision 3).

create sequence resource_pk_seq cache 100;

-- Current version of every resource (deleted ones stay, with deleted = true and no content).
create table resource (
    pk           bigint      primary key,
    res_type     text        not null,
    res_id       text        not null,
    version      integer     not null,
    patient_id   text,
    last_updated timestamptz not null,
    deleted      boolean     not null default false,
    content      jsonb,
    constraint resource_type_id unique (res_type, res_id)
);
create index resource_patient on resource (patient_id, res_type) where patient_id is not null;
create index resource_type_updated on resource (res_type, last_updated);

-- Earlier versions; the current one lives in resource.
create table resource_history (
    pk           bigint      not null,
    version      integer     not null,
    patient_id   text,
    last_updated timestamptz not null,
    deleted      boolean     not null,
    content      jsonb,
    primary key (pk, version)
);
create index resource_history_updated on resource_history (last_updated);

-- Search index rows, rewritten whenever the resource changes. res_type is repeated so that every
-- lookup stays in one index; patient_id so that patient-scoped searches stay in one patient's rows.
create table idx_token (
    pk         bigint not null,
    res_type   text   not null,
    param      text   not null,
    patient_id text,
    system     text,
    code       text   not null
);
create index idx_token_lookup on idx_token (res_type, param, code, patient_id) include (system, pk);
create index idx_token_pk on idx_token (pk);

create table idx_string (
    pk         bigint not null,
    res_type   text   not null,
    param      text   not null,
    patient_id text,
    normalized text   not null,
    exact      text   not null
);
create index idx_string_lookup on idx_string (res_type, param, normalized text_pattern_ops) include (pk);
create index idx_string_pk on idx_string (pk);

create table idx_date (
    pk         bigint      not null,
    res_type   text        not null,
    param      text        not null,
    patient_id text,
    low        timestamptz not null,
    high       timestamptz not null
);
create index idx_date_lookup on idx_date (res_type, param, patient_id, low) include (high, pk);
create index idx_date_pk on idx_date (pk);

create table idx_reference (
    pk          bigint not null,
    res_type    text   not null,
    param       text   not null,
    patient_id  text,
    target_type text   not null,
    target_id   text   not null
);
create index idx_reference_lookup on idx_reference (target_id, target_type, res_type, param) include (pk);
create index idx_reference_pk on idx_reference (pk);
