-- Tenants, API keys, submit rate buckets and the audit log (see docs/security.md).

-- A customer of the cluster. Jobs, batches and keys belong to exactly one tenant.
create table tenants (
    id                  text primary key,
    name                text not null,
    -- where terminal-state webhooks go for jobs that carry no notifyUrl of their own
    default_notify_url  text,
    -- cap on queued + running jobs; null means the gateway's default (KILN_QUOTA_MAX_ACTIVE_JOBS)
    max_active_jobs     int,
    -- each of the tenant's keys may submit this many requests per second, in bursts of
    -- submit_burst; null means the gateway's defaults (KILN_QUOTA_SUBMITS_PER_SECOND, _BURST)
    submits_per_second  double precision,
    submit_burst        int,
    -- the tenant's webhook signing secret is derived from the gateway's secret key and this
    -- generation; rotating the secret bumps it, nothing secret is stored here
    webhook_secret_generation int not null default 1,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);

-- Jobs accepted before tenants existed belong to the default tenant.
insert into tenants (id, name, created_at, updated_at)
values ('default', 'Default tenant', now(), now());

-- An API key is a random 256-bit token shown once; only its SHA-256 is kept. The prefix (the
-- first characters of the token) names it in lists, logs and the audit log.
create table api_keys (
    id            uuid primary key,
    tenant_id     text not null references tenants (id),
    role          text not null check (role in ('viewer', 'submitter', 'admin')),
    name          text not null,
    prefix        text not null,
    token_sha256  text not null unique,
    -- keys made from KILN_ADMIN_KEY at startup; a new value revokes the previous one
    bootstrap     boolean not null default false,
    created_at    timestamptz not null,
    created_by    text not null,
    revoked_at    timestamptz
);
create index api_keys_tenant_idx on api_keys (tenant_id, created_at desc);

-- One token bucket per key for submissions, shared by every gateway replica.
create table rate_buckets (
    key_id        uuid primary key references api_keys (id) on delete cascade,
    tokens        double precision not null,
    refilled_at   timestamptz not null
);

-- Who did what and when: key changes, tenant changes, cancellations, retries and requeues.
create table audit_log (
    id            bigserial primary key,
    at            timestamptz not null,
    -- the acting key's prefix, or 'system'
    actor         text not null,
    actor_tenant  text,
    action        text not null,
    target        text,
    -- the tenant the action touched (the job's tenant for a cancel)
    tenant_id     text,
    details       jsonb
);
create index audit_log_action_idx on audit_log (action, id desc);

alter table jobs add column tenant_id text not null default 'default' references tenants (id);
alter table jobs alter column tenant_id drop default;
-- a tenant's listing, newest first, and its quota count
create index jobs_tenant_created_idx on jobs (tenant_id, created_at desc, id desc);
create index jobs_tenant_active_idx on jobs (tenant_id) where status in ('queued', 'running');

alter table batches add column tenant_id text not null default 'default' references tenants (id);
alter table batches alter column tenant_id drop default;
