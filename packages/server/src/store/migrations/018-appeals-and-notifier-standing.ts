/**
 * Uploaders' appeals against removals (DSA Art. 20) and notifier safeguards (DSA Art. 23).
 * - item_appeals: one row per appeal; at most one open per item (partial unique index). The uploader's
 *   statement is encrypted (store/sealed-values.ts, context `appeal:<id>`) and deleted with the case's personal
 *   data. `item_decided_by` is who decided the item: that person may not decide the appeal.
 * - cases.unfounded_*: staff marked the (declined) notice manifestly unfounded.
 * - notifier_standing: a notifier's warning and suspension, keyed by the keyed hash of their normalised contact
 *   (cases.notifier_key); the contact itself is never stored in clear for this.
 * - notifier_contests: a warned or suspended notifier asks for another look, from one of their cases (PIN); the
 *   statement is encrypted (context `contest:<id>`) and erased with that case's personal data.
 * SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '018-appeals-and-notifier-standing';

export const statements: string[] = [
  `create table item_appeals (
  id uuid primary key,
  item_id uuid not null references items(id),
  case_id uuid not null references cases(id),
  platform_id uuid not null references platforms(id),
  state text not null check (state in ('open', 'upheld', 'rejected')),
  statement bytea,
  opened_by text not null,
  opened_at timestamptz not null,
  due_at timestamptz not null,
  item_decided_by text,
  decided_at timestamptz,
  decided_by text,
  decision_reason text
)`,
  `create unique index item_appeals_one_open on item_appeals (item_id) where state = 'open'`,
  `create index item_appeals_open_due on item_appeals (due_at) where state = 'open'`,
  `create index item_appeals_case on item_appeals (case_id)`,
  `alter table cases add column unfounded_at timestamptz`,
  `alter table cases add column unfounded_by text`,
  `alter table cases add column unfounded_reason text`,
  `create index cases_unfounded on cases (notifier_key, unfounded_at) where unfounded_at is not null`,
  `create table notifier_standing (
  notifier_key text primary key,
  warned_at timestamptz,
  suspended_until timestamptz,
  counted_from timestamptz,
  updated_at timestamptz not null
)`,
  `create table notifier_contests (
  id uuid primary key,
  notifier_key text not null,
  case_id uuid not null references cases(id),
  statement bytea,
  created_at timestamptz not null,
  resolved_at timestamptz
)`,
  `create index notifier_contests_open on notifier_contests (notifier_key) where resolved_at is null`,
];
