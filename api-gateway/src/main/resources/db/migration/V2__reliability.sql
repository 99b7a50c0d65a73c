-- Reliability: execution policies and automatic retries, dead letters, idempotency keys.

-- The policy a job runs under (ExecutionPolicy JSON: attempts, backoff, timeout), and while an
-- automatic retry waits, when the next attempt is due and why the previous one failed.
-- policy is null only for jobs accepted before this migration: they run under the default.
alter table jobs
    add column policy             jsonb,
    add column next_run_at        timestamptz,
    add column last_error_code    text,
    add column last_error_message text,
    add column last_error_stage   text;

-- The watchdog looks for running jobs that went quiet.
create index jobs_running_idx on jobs (updated_at) where status = 'running';

-- The run (one delivery of an attempt to a worker) an event came from; a resumed run numbers its
-- events from 1 again. Null for events the gateway records.
alter table job_events add column run uuid;

-- Finds the event that ended an attempt (at most one is stored per attempt).
create index job_events_attempt_end_idx on job_events (job_id, attempt)
    where type in ('job.succeeded', 'job.failed', 'job.cancelled', 'job.retrying');

-- Messages the work queues dead-lettered (rejected after the last attempt, or past the delivery
-- limit), as they arrived on kiln.dead-letters; removed when requeued.
create table dead_letters (
    id           uuid primary key,
    -- null when the body is not a job message
    job_id       uuid,
    job_type     text,
    attempt      int,
    -- from the newest x-death entry: rejected, delivery_limit, expired, maxlen
    reason       text not null,
    queue        text,
    death_count  bigint not null,
    -- the JobMessage JSON (a JSON string when the body was not JSON)
    message      jsonb not null,
    created_at   timestamptz not null
);
-- a redelivered dead letter (acknowledged too late) is recorded once
create unique index dead_letters_job_attempt_key on dead_letters (job_id, attempt)
    where job_id is not null;
create index dead_letters_created_idx on dead_letters (created_at desc, id desc);
create index dead_letters_type_created_idx on dead_letters (job_type, created_at desc, id desc);

-- Idempotency-Key of POST /api/v1/jobs and /api/v1/batches: the first response to a key is kept
-- for 24 h and returned again for the same request. Written in the submission's transaction, so
-- two concurrent requests with one key cannot both create jobs.
create table idempotency_keys (
    key           text primary key,
    -- sha256 of method, path and canonical body (with the uploaded files' digests)
    request_hash  text not null,
    status        int not null,
    body          jsonb not null,
    location      text,
    created_at    timestamptz not null
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
