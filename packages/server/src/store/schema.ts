import type { JurisdictionChoice } from '@takedown/core';
import type { ColumnType, Generated } from 'kysely';
import type { BankHashesTable, BanksTable, PlatformContentTable, PlatformEventsTable, PlatformHostsTable, PlatformItemContentTable, PlatformKeysTable, PlatformsTable } from './platform-schema.ts';
import type { ExchangeFeedbackOutboxTable, ExchangeFeedbackTable, ExchangePublishedTable, ExchangeSourcesTable } from './exchange-schema.ts';

/**
 * The tables, as Kysely sees them. The SQL lives in migrations/; these types must follow it.
 * Column conventions: timestamps are `timestamptz` (Date in, Date out), PII is AES-256-GCM ciphertext
 * (`bytea`, see crypto/pii.ts), counters are `integer`, audit sequence numbers `bigint` (read with Number()).
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface CasesTable {
  id: string;
  case_number: string;
  /** HMAC of the PIN (crypto/keys.ts); the PIN itself is shown once and never stored. */
  pin_hash: string;
  jurisdiction: string;
  state: string;
  /** Which review queue the case goes to: 'standard' or 'senior' (routing by core's safeguards). */
  queue: string;
  route_reasons: Json<string[]>;
  requester_role: string;
  /** Encrypted: requester, contact, good-faith statement, signature. NULL once deleted by retention. */
  pii: Uint8Array | null;
  /** HMAC of the normalised contact, for notifier reputation; never reversible to the contact. */
  notifier_key: string;
  share_media: boolean;
  signed_at: Timestamp;
  received_at: Timestamp;
  closed_at: Timestamp | null;
  pii_deleted_at: Timestamp | null;
  demo: boolean;
  /** Staff marked this (declined) notice manifestly unfounded (DSA Art. 23; migrations/018). */
  unfounded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  unfounded_by: ColumnType<string | null, string | null | undefined, string | null>;
  unfounded_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** The language the request was made in (en, it, es, fr, de): messages to the person use it. */
  language: ColumnType<string, string | undefined, string>;
  /** The IANA time zone of the person's browser (e.g. Europe/Rome); null: UTC. */
  time_zone: ColumnType<string | null, string | null | undefined, string | null>;
  /** The channels the person asked to be told on (`email`); the contact itself is in `pii`. */
  notify_channels: ColumnType<string[], string | undefined, string>;
  /** The requester said the person shown was under 18 when it was made (migrations/017). */
  under_18_when_made: ColumnType<boolean, boolean | undefined, boolean>;
  /** How the jurisdiction was decided: core's JurisdictionChoice (migrations/020); null before it. */
  jurisdiction_reason: ColumnType<JurisdictionChoice | null, string | null | undefined, string | null>;
}

/** A regulator's removal notice entered by staff (migrations/020): its case's items run to `due_at`. */
export interface RegulatorNoticesTable {
  id: string;
  case_id: string;
  regulator: string;
  reference: string;
  jurisdiction: string;
  period_hours: number | null;
  received_at: Timestamp;
  due_at: Timestamp;
  entered_by: string;
  created_at: Timestamp;
}

/** An incomplete request, kept encrypted until it is completed or expires (migrations/017). */
export interface RequestDraftsTable {
  id: string;
  /** Keyed hash of the draft's token; the token is shown once. */
  token_hash: string;
  /** Encrypted JSON: what was filled in so far. */
  content: Uint8Array;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: Timestamp;
}

export interface ItemsTable {
  id: string;
  case_id: string;
  position: number;
  /** NULL once deleted by retention. */
  url: string | null;
  /** What identifies the depiction: the signal types' fields as JSON text (migrations/007-signals-as-data.ts). */
  signals: string;
  media_type: string | null;
  public_interest: boolean;
  state: string;
  received_at: Timestamp;
  deadline_at: Timestamp;
  escalation_level: number;
  /** When the escalation job first saw the deadline pass with the item still open. */
  breached_at: Timestamp | null;
  /** Sent to senior review by a person (time-based escalation is `escalation_level`). */
  escalated_at: Timestamp | null;
  escalation_reason: string | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  /** One of core's DECLINE_REASONS; the reviewer's note beside it. */
  decline_reason: string | null;
  decline_note: string | null;
  removed_at: Timestamp | null;
  /** The earlier item of the same notifier this one asks about again (migrations/022-repeat-requests.ts). */
  repeat_of: ColumnType<string | null, string | null | undefined, string | null>;
  repeat_kind: ColumnType<'duplicate' | 'resubmission' | null, 'duplicate' | 'resubmission' | null | undefined, 'duplicate' | 'resubmission' | null>;
}

/** Keyed hashes of an item's identifiers, keyed with its notifier: how repeats are recognised without clear text. */
export interface ItemRepeatKeysTable {
  item_id: string;
  key: string;
  from_url: boolean;
}

export interface ItemMatchesTable {
  id: Generated<number>;
  item_id: string;
  signal: string;
  matched_ref: string;
  distance: number;
  threshold: number;
  found_at: Timestamp;
}

export interface AuditEventsTable {
  seq: ColumnType<number | string | bigint, number, never>;
  at: Timestamp;
  actor: string;
  action: string;
  case_id: string | null;
  item_id: string | null;
  reason: string | null;
  data: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: Json<Record<string, unknown>>;
  /** When set, at most one unfinished job with this key exists (periodic jobs). */
  unique_key: string | null;
  /** Jobs of one lane run one at a time, oldest first (migrations/010-delivery-lanes.ts); null: no lane. */
  lane: ColumnType<string | null, string | null | undefined, string | null>;
  run_at: Timestamp;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  done_at: Timestamp | null;
}

/** One message of the outbox (migrations/019-notifications.ts): no address of the requester, no PIN, no content link. */
export interface NotificationsTable {
  id: string;
  audience: 'requester' | 'staff';
  /** email or chat; null for a staff alert not yet fanned out to the staff routes. */
  channel: string | null;
  kind: string;
  case_id: string | null;
  /** A staff route's address (a team mailbox or a chat webhook URL); null for the requester (read from the case). */
  target: string | null;
  data: Json<Record<string, unknown>>;
  state: 'queued' | 'sent' | 'failed' | 'rejected' | 'cancelled';
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface PinResetsTable {
  id: string;
  case_id: string;
  /** Keyed hash of the one-time code, set when the message leaves (the code exists nowhere at rest in clear). */
  code_hash: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface StaffUsersTable {
  id: string;
  username: string;
  role: string;
  /** argon2id; null for an account that signs in through the identity provider only. */
  password_hash: string | null;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
  demo: boolean;
  /** Single sign-on: the provider's issuer and the person's subject there (the account's identity, not its name). */
  sso_issuer: Generated<string | null>;
  sso_subject: Generated<string | null>;
  /** TOTP secret sealed with the PII keys (context `totp:<id>`), confirmed once a first code was right. */
  totp_secret: Generated<Uint8Array | null>;
  totp_confirmed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The last TOTP time step accepted: no code is accepted twice. */
  totp_last_step: Generated<string | number | null>;
}

/** One-time recovery codes of a second factor, as keyed hashes. */
export interface StaffRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** Opened before a required second factor was set up: may only set it up. */
  enrolment_only: Generated<boolean>;
}

/** Wrong guesses against one counter (store/guess-counters.ts); `counter` is a keyed HMAC of what is counted. */
export interface GuessFailuresTable {
  counter: string;
  failures: number;
  last_failure_at: Timestamp;
}

/** An uploader's appeal against a removal (migrations/018). `statement` is encrypted; NULL once erased. */
export interface ItemAppealsTable {
  id: string;
  item_id: string;
  case_id: string;
  platform_id: string;
  state: string;
  statement: Uint8Array | null;
  opened_by: string;
  opened_at: Timestamp;
  due_at: Timestamp;
  item_decided_by: string | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision_reason: string | null;
  overdue_at: Timestamp | null;
}

/** A notifier's warning and suspension (DSA Art. 23), keyed like cases.notifier_key. */
export interface NotifierStandingTable {
  notifier_key: string;
  warned_at: Timestamp | null;
  suspended_until: Timestamp | null;
  /** Unfounded notices marked before this (a lifted standing) no longer count. */
  counted_from: Timestamp | null;
  updated_at: Timestamp;
}

/** A notifier asks for another look at their warning or suspension (migrations/018); `statement` is encrypted. */
export interface NotifierContestsTable {
  id: string;
  notifier_key: string;
  case_id: string;
  statement: Uint8Array | null;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
}

/** One rate-limit window: requests counted for one route and client (migrations/016-shared-rate-limits.ts). */
export interface RateLimitWindowsTable {
  counter: string;
  hits: number;
  window_ends_at: Timestamp;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: Timestamp;
}

/** Every table, in one type: a transaction can touch cases and platform tables alike, with no cast. */
export interface Database {
  cases: CasesTable;
  items: ItemsTable;
  item_repeat_keys: ItemRepeatKeysTable;
  item_matches: ItemMatchesTable;
  audit_events: AuditEventsTable;
  jobs: JobsTable;
  notifications: NotificationsTable;
  pin_resets: PinResetsTable;
  staff_users: StaffUsersTable;
  sessions: SessionsTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  guess_failures: GuessFailuresTable;
  request_drafts: RequestDraftsTable;
  rate_limit_windows: RateLimitWindowsTable;
  schema_migrations: SchemaMigrationsTable;
  platforms: PlatformsTable;
  platform_keys: PlatformKeysTable;
  platform_content: PlatformContentTable;
  banks: BanksTable;
  bank_hashes: BankHashesTable;
  platform_item_content: PlatformItemContentTable;
  platform_events: PlatformEventsTable;
  platform_hosts: PlatformHostsTable;
  exchange_published: ExchangePublishedTable;
  exchange_feedback: ExchangeFeedbackTable;
  exchange_sources: ExchangeSourcesTable;
  exchange_feedback_outbox: ExchangeFeedbackOutboxTable;
  item_appeals: ItemAppealsTable;
  notifier_standing: NotifierStandingTable;
  notifier_contests: NotifierContestsTable;
  regulator_notices: RegulatorNoticesTable;
}
