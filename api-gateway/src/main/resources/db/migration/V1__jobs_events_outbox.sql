-- Jobs, their events and artifacts, batches, and the transactional outbox.

create table batches (
    id          uuid primary key,
    job_count   int not null,
    created_at  timestamptz not null
);

create table jobs (
    id               uuid primary key,
    type             text not null,
    status           text not null,
    attempt          int not null,
    batch_id         uuid references batches (id),
    params           jsonb not null,
    inputs           jsonb not null,
    notify_url       text,
    progress         int not null default 0,
    current_stage    text,
    stages           jsonb not null,
    error_code       text,
    error_message    text,
    error_retryable  boolean,
    error_stage      text,
    cancel_requested boolean not null default false,
    created_at       timestamptz not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz not null,
    last_event_at    timestamptz
);

-- Newest-first listing with keyset pagination, optionally filtered.
create index jobs_created_idx on jobs (created_at desc, id desc);
create index jobs_status_created_idx on jobs (status, created_at desc, id desc);
create index jobs_type_created_idx on jobs (type, created_at desc, id desc);
create index jobs_batch_idx on jobs (batch_id) where batch_id is not null;
create index jobs_finished_idx on jobs (finished_at) where finished_at is not null;

create table job_artifacts (
    job_id        uuid not null references jobs (id) on delete cascade,
    name          text not null,
    object_key    text not null,
    size          bigint not null,
    content_type  text not null,
    sha256        text not null,
    created_at    timestamptz not null,
    primary key (job_id, name)
);

-- Every event once: event_id is the emitter's id, so a redelivered copy collides and is dropped.
-- id is the SSE event id; one writer at a time assigns it, so it grows in commit order.
create table job_events (
    id           bigserial primary key,
    event_id     uuid not null unique,
    job_id       uuid not null,
    -- copied from the job so a batch's stream replays from one index
    batch_id     uuid,
    attempt      int not null,
    seq          bigint not null,
    type         text not null,
    payload      jsonb not null,
    occurred_at  timestamptz not null,
    source       text not null,
    -- the job as it stood right after this event, so a replayed event reads like a live one
    job_status   text not null,
    job_attempt  int not null,
    job_progress int not null,
    job_stage    text,
    stored_at    timestamptz not null default now()
);
create index job_events_job_idx on job_events (job_id, id);
create index job_events_batch_idx on job_events (batch_id, id) where batch_id is not null;

-- Transactional outbox: written in the same transaction as the state it announces, deleted only
-- after the broker confirmed the publish.
create sequence outbox_seq increment by 50;
create table outbox (
    id           bigint primary key,
    exchange     text not null,
    routing_key  text not null,
    message_id   uuid not null,
    payload      bytea not null,
    created_at   timestamptz not null
);
