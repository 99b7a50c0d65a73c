-- Webhooks: one delivery per terminal outcome (succeeded, failed, cancelled) of a job that has a
-- notify URL (its own, or its tenant's default), inserted in the transaction that records the
-- outcome. A dispatcher in every gateway replica claims due rows with FOR UPDATE SKIP LOCKED.
-- (V3 is reserved for tenants and API keys.)
create table webhook_deliveries (
    -- the id of the terminal event; sent as webhook-id, identical on every attempt, so receivers
    -- can drop duplicates
    id               uuid primary key,
    job_id           uuid not null references jobs (id) on delete cascade,
    -- job.succeeded, job.failed or job.cancelled
    event_type       text not null,
    url              text not null,
    -- exactly the bytes that are signed and sent (text, not jsonb, which would reformat them)
    body             text not null,
    status           text not null
        check (status in ('pending', 'delivered', 'failed', 'given_up')),
    -- every attempt, oldest first: [{"at", "statusCode", "error", "durationMs"}]
    attempts         jsonb not null default '[]',
    created_at       timestamptz not null,
    -- the retry window (KILN_WEBHOOK_GIVE_UP_AFTER) runs from here
    first_attempt_at timestamptz,
    -- when the next attempt is due; while one is in flight, when its claim expires; null once done
    next_attempt_at  timestamptz,
    updated_at       timestamptz not null
);

create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at)
    where next_attempt_at is not null;
create index webhook_deliveries_job_idx on webhook_deliveries (job_id, created_at);
