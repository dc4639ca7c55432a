/**
 * The first schema. SQL accepted by PostgreSQL 15 (production floor) and PGlite (PostgreSQL 18): no
 * `uuidv7()`, no virtual generated columns. gen_random_uuid() is built in since PostgreSQL 13.
 */
export const name = '001-initial';

export const statements: string[] = [
  `create table cases (
  id uuid primary key,
  case_number text not null unique,
  pin_hash text not null,
  jurisdiction text not null,
  state text not null,
  queue text not null check (queue in ('standard', 'senior')),
  route_reasons jsonb not null default '[]',
  requester_role text not null,
  pii bytea,
  notifier_key text not null,
  share_media boolean not null default false,
  signed_at timestamptz not null,
  received_at timestamptz not null,
  closed_at timestamptz,
  pii_deleted_at timestamptz,
  demo boolean not null default false
)`,
  `create index cases_notifier_key on cases (notifier_key)`,
  `create index cases_closed_at on cases (closed_at) where pii_deleted_at is null`,
  `create table items (
  id uuid primary key,
  case_id uuid not null references cases (id),
  position integer not null,
  url text,
  pdq char(64),
  pdq_quality integer,
  md5 char(32),
  sha256 char(64),
  media_type text,
  public_interest boolean not null default false,
  state text not null,
  received_at timestamptz not null,
  deadline_at timestamptz not null,
  escalation_level integer not null default 0,
  breached_at timestamptz,
  escalated_at timestamptz,
  escalation_reason text,
  decided_at timestamptz,
  decided_by text,
  decline_reason text,
  decline_note text,
  removed_at timestamptz,
  unique (case_id, position)
)`,
  `create index items_open_by_deadline on items (deadline_at) where state in ('pending', 'confirmed')`,
  `create index items_case on items (case_id)`,
  `-- Matches found for an item (written by the matching jobs; shown to reviewers with the threshold used).
create table item_matches (
  id bigserial primary key,
  item_id uuid not null references items (id),
  signal text not null,
  matched_ref text not null,
  distance integer not null,
  threshold integer not null,
  found_at timestamptz not null
)`,
  `create index item_matches_item on item_matches (item_id)`,
  `-- Append-only, hash-chained: hash = sha256(prev_hash || canonical_json(row)). seq is assigned under an
-- advisory lock as previous seq + 1 (not a sequence), so a gap means a deleted row.
create table audit_events (
  seq bigint primary key,
  at timestamptz not null,
  actor text not null,
  action text not null,
  case_id uuid,
  item_id uuid,
  reason text,
  data jsonb not null,
  prev_hash char(64) not null,
  hash char(64) not null
)`,
  `create index audit_events_case on audit_events (case_id)`,
  `create index audit_events_item on audit_events (item_id)`,
  `-- Refuses ordinary updates and deletes; a superuser can still disable it, which the hash chain then shows.
create function audit_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only';
end;
$$`,
  `create trigger audit_events_no_update before update or delete on audit_events
  for each row execute function audit_events_append_only()`,
  `create table jobs (
  id bigserial primary key,
  kind text not null,
  payload jsonb not null default '{}',
  unique_key text,
  run_at timestamptz not null,
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null,
  done_at timestamptz
)`,
  `create index jobs_due on jobs (run_at) where done_at is null`,
  `create unique index jobs_unique_pending on jobs (unique_key) where done_at is null`,
  `create table staff_users (
  id uuid primary key,
  username text not null unique,
  role text not null check (role in ('reviewer', 'senior', 'admin', 'auditor')),
  password_hash text not null,
  created_at timestamptz not null,
  disabled_at timestamptz,
  demo boolean not null default false
)`,
  `create table sessions (
  token_hash char(64) primary key,
  user_id uuid not null references staff_users (id),
  created_at timestamptz not null,
  expires_at timestamptz not null
)`,
  `-- Wrong-PIN counter per case number, whether or not the case exists, so lockout reveals nothing.
create table pin_failures (
  case_number text primary key,
  failures integer not null,
  locked_until timestamptz,
  updated_at timestamptz not null
)`,
];
