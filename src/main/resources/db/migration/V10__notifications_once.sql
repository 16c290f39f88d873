-- A notification is made by a listener of the event publication registry (ADR 0005), which may run again after a
-- crash: the event's id makes the second run a no-op.
alter table notification add column due_id uuid;
create unique index notification_once on notification (due_id, recipient) where due_id is not null;
