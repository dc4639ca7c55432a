/**
 * Platform integration: API keys, the platform's content index, hash banks, and the webhook events sent to
 * the platform. SQL accepted by PostgreSQL 15 and PGlite (PostgreSQL 18).
 *
 * `change_xid` (the writing transaction's id) lets the in-memory match indexes follow the tables: a poll
 * reads the rows written by transactions at or after the oldest one still running at the previous poll, so a
 * transaction that commits late is never skipped (a plain sequence would be: values are taken before commit).
 */
export const name = '002-platform';

export const statements: string[] = [
  `create table platforms (
  id uuid primary key,
  name text not null unique,
  webhook_url text,
  -- AES-256-GCM (crypto/pii.ts) with the platform id as context: the secret must be readable to sign with it.
  webhook_secret bytea,
  created_at timestamptz not null,
  disabled_at timestamptz
)`,
  `-- The key's secret is 32 random bytes: a SHA-256 of it is enough (no password stretching needed).
create table platform_keys (
  id text primary key,
  platform_id uuid not null references platforms (id),
  secret_hash char(64) not null,
  scopes jsonb not null,
  created_at timestamptz not null,
  revoked_at timestamptz
)`,
  `create table platform_content (
  ref bigserial primary key,
  platform_id uuid not null references platforms (id),
  content_id text not null,
  url text,
  media_type text,
  pdq char(64),
  pdq_quality integer,
  -- The 7 other dihedral variants (rotations, mirror images), comma-separated, when the bytes were hashed here.
  pdq_variants text,
  md5 char(32),
  sha256 char(64),
  registered_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz,
  change_xid xid8 not null default pg_current_xact_id(),
  unique (platform_id, content_id)
)`,
  `create index platform_content_changes on platform_content (change_xid)`,
  `create index platform_content_url on platform_content (url) where deleted_at is null`,
  `create table banks (
  id uuid primary key,
  name text not null unique,
  description text not null default '',
  -- 'confirmed': this deployment's confirmed items (kept by the server); 'imported': a list from a partner.
  kind text not null check (kind in ('confirmed', 'imported')),
  enabled boolean not null default true,
  pdq_block_bits integer not null default 10 check (pdq_block_bits between -1 and 10),
  pdq_review_bits integer not null default 31 check (pdq_review_bits between 0 and 31),
  -- 0: an identical digest blocks; -1: never blocks (review only).
  md5_block_bits integer not null default 0 check (md5_block_bits in (-1, 0)),
  sha256_block_bits integer not null default 0 check (sha256_block_bits in (-1, 0)),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  change_xid xid8 not null default pg_current_xact_id()
)`,
  `create index banks_changes on banks (change_xid)`,
  `create table bank_hashes (
  id bigserial primary key,
  bank_id uuid not null references banks (id),
  signal text not null check (signal in ('pdq', 'md5', 'sha256')),
  hash text not null,
  quality integer,
  item_id uuid references items (id),
  added_at timestamptz not null,
  removed_at timestamptz,
  change_xid xid8 not null default pg_current_xact_id()
)`,
  `create unique index bank_hashes_live on bank_hashes (bank_id, signal, hash, item_id) nulls not distinct where removed_at is null`,
  `create index bank_hashes_changes on bank_hashes (change_xid)`,
  `create index bank_hashes_item on bank_hashes (item_id) where item_id is not null`,
  `-- Which of the platform's content an item stands for: the original, identical copies, or copies found by a sweep.
create table platform_item_content (
  item_id uuid not null references items (id),
  content_ref bigint not null references platform_content (ref),
  relation text not null check (relation in ('original', 'copy')),
  distance integer not null,
  found_at timestamptz not null,
  primary key (item_id, content_ref)
)`,
  `create index platform_item_content_ref on platform_item_content (content_ref)`,
  `-- Events for a platform's webhook. The id is the idempotency key the platform sees; delivery jobs retry
-- until delivered_at is set.
create table platform_events (
  id uuid primary key,
  platform_id uuid not null references platforms (id),
  type text not null,
  item_id uuid,
  case_id uuid,
  payload jsonb not null,
  created_at timestamptz not null,
  attempts integer not null default 0,
  last_attempt_at timestamptz,
  last_error text,
  delivered_at timestamptz,
  escalated_at timestamptz,
  gave_up_at timestamptz
)`,
  `create index platform_events_item on platform_events (item_id) where item_id is not null`,
  `create index platform_events_pending on platform_events (platform_id, created_at) where delivered_at is null`,
  `insert into banks (id, name, description, kind, created_at, updated_at)
  values (gen_random_uuid(), 'confirmed', 'Items confirmed by a reviewer of this deployment', 'confirmed', now(), now())`,
];
