-- A tenant may keep its finished jobs for its own number of days (null: the job type's or the
-- gateway's default); the retention sweep reads it.
alter table tenants add column retention_days int;
