-- The holder's rules over their record (access module). Rows are ended, never deleted: consent history stays.
create table access_rule (
    id          bigserial   primary key,
    patient_id  text        not null,
    kind        text        not null,
    actor       text        not null,
    valid_until timestamptz,
    created     timestamptz not null,
    created_by  text        not null,
    ended       timestamptz,
    ended_by    text
);
create index access_rule_actor on access_rule (actor) where ended is null;
create index access_rule_patient on access_rule (patient_id) where ended is null;

-- The audit trail (audit module): per patient ('' for entries about no patient), a hash chain. Each entry's hash is
-- sha256(previous entry's hash || entry text); the head holds the last sequence number and hash, so a deleted or
-- modified entry, or a cut tail, breaks verification.
create table audit_head (
    patient_id text   primary key,
    seq        bigint not null,
    hash       bytea  not null
);
create table audit_entry (
    patient_id text        not null,
    seq        bigint      not null,
    recorded   timestamptz not null,
    actor      text        not null,
    content    text        not null,
    hash       bytea       not null,
    primary key (patient_id, seq)
);
create index audit_entry_actor on audit_entry (patient_id, actor);

-- Notifications to holders and professionals (emergency access, first access by a professional new to the record).
create table notification (
    id         bigserial   primary key,
    recipient  text        not null,
    patient_id text        not null,
    created    timestamptz not null,
    kind       text        not null,
    message    text        not null,
    sent       timestamptz
);
create index notification_recipient on notification (recipient, created);
