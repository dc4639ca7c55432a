/**
 * The exchange between deployments (docs/exchange.md). SQL accepted by PostgreSQL 15 and PGlite.
 *
 * Publishing: `exchange_published` holds one row per (signal type, hash) ever in the confirmed bank, with an
 * opaque id, its status (active, withdrawn) and `seq`, the feed cursor. A change takes a new `seq` under a
 * transaction-scoped advisory lock, so seq order is commit order and a reader never skips a row that commits
 * late. A trigger notifies `takedown_exchange` so waiting feed readers answer at once.
 *
 * Following: `exchange_sources` (the feeds this deployment follows, the API key sealed with the PII key),
 * each filling a bank of its own (`banks.follow_trust` set); `bank_hashes.exchange_entry` is the source's
 * opaque id of the hash; `exchange_feedback_outbox` holds reviewers' verdicts until the source has them.
 * The source keeps what followers told it in `exchange_feedback`.
 */
export const name = '011-exchange';

export const EXCHANGE_CHANNEL = 'takedown_exchange';

export const statements: string[] = [
  `create sequence exchange_feed_seq`,
  `create table exchange_published (
  entry_id uuid primary key,
  signal text not null,
  hash text not null,
  value text,
  status text not null check (status in ('active', 'withdrawn')),
  seq bigint not null unique,
  changed_at timestamptz not null,
  unique (signal, hash)
)`,
  `create function takedown_notify_exchange() returns trigger language plpgsql as $$
begin
  perform pg_notify('${EXCHANGE_CHANNEL}', '');
  return null;
end $$`,
  `create trigger exchange_published_notify after insert or update on exchange_published for each statement execute function takedown_notify_exchange()`,
  `-- Verdicts of followers' reviewers on matches of published hashes (one per follower, hash and verdict).
create table exchange_feedback (
  platform_id uuid not null references platforms (id),
  entry_id uuid not null references exchange_published (entry_id),
  verdict text not null check (verdict in ('confirmed', 'false_positive')),
  received_at timestamptz not null,
  primary key (platform_id, entry_id, verdict)
)`,
  `alter table banks add column follow_trust text check (follow_trust in ('review', 'block'))`,
  `alter table bank_hashes add column exchange_entry uuid`,
  `create table exchange_sources (
  id uuid primary key,
  name text not null unique,
  url text not null,
  -- AES-256-GCM (crypto/pii.ts) with the source id as context: the key must be readable to present it.
  api_key bytea not null,
  public_key text not null,
  feed_id text not null,
  bank_id uuid not null references banks (id),
  cursor bigint not null default 0,
  applied bigint not null default 0,
  rejected bigint not null default 0,
  failures integer not null default 0,
  last_error text,
  last_error_at timestamptz,
  last_success_at timestamptz,
  created_at timestamptz not null,
  unfollowed_at timestamptz
)`,
  `create table exchange_feedback_outbox (
  id bigserial primary key,
  source_id uuid not null references exchange_sources (id),
  entry_id uuid not null,
  verdict text not null check (verdict in ('confirmed', 'false_positive')),
  created_at timestamptz not null,
  sent_at timestamptz
)`,
  `create index exchange_feedback_outbox_pending on exchange_feedback_outbox (source_id, id) where sent_at is null`,
];
