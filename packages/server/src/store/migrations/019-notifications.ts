/**
 * Telling people what happens. A case keeps the language and time zone the person used for the request and the
 * channels they asked to be told on (only `email` so far; the contact itself stays in the encrypted `pii`).
 * `notifications` is the outbox's record of every message: what kind, for whom (the requester of a case, or a
 * staff route), its state and the last failure, so staff can see what did not arrive. It holds no address of the
 * requester, no PIN, no link to content: the address is read from the case's encrypted PII when the message
 * leaves. `pin_resets` holds one-time recovery codes as keyed hashes. SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '019-notifications';

export const statements: string[] = [
  `alter table cases add column language text not null default 'en'`,
  `alter table cases add column time_zone text`,
  `alter table cases add column notify_channels jsonb not null default '[]'`,
  `create table notifications (
  id uuid primary key,
  audience text not null check (audience in ('requester', 'staff')),
  channel text,
  kind text not null,
  case_id uuid references cases (id),
  target text,
  data jsonb not null,
  state text not null check (state in ('queued', 'sent', 'failed', 'rejected', 'cancelled')),
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null,
  sent_at timestamptz,
  finished_at timestamptz
)`,
  `create index notifications_state on notifications (state, created_at)`,
  `create index notifications_case on notifications (case_id)`,
  `create table pin_resets (
  id uuid primary key,
  case_id uuid not null references cases (id),
  code_hash char(64),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
)`,
  `create index pin_resets_case on pin_resets (case_id)`,
];
