import type { ColumnType, Generated } from 'kysely';

/** The exchange tables (migrations/011-exchange.ts), as Kysely sees them; schema.ts lists them in `Database`. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** bigint columns read back as decimal strings. */
type BigintCount = ColumnType<string, number | string | undefined, number | string>;

export interface ExchangePublishedTable {
  entry_id: string;
  signal: string;
  hash: string;
  value: string | null;
  status: 'active' | 'withdrawn';
  seq: ColumnType<string, number | string, number | string>;
  changed_at: Timestamp;
}

export interface ExchangeFeedbackTable {
  platform_id: string;
  entry_id: string;
  verdict: 'confirmed' | 'false_positive';
  received_at: Timestamp;
}

export interface ExchangeSourcesTable {
  id: string;
  name: string;
  /** migrations/014-stopncii-sources.ts */
  kind: ColumnType<'takedown' | 'stopncii', 'takedown' | 'stopncii' | undefined, 'takedown' | 'stopncii'>;
  url: string;
  api_key: Uint8Array;
  public_key: string;
  feed_id: string;
  bank_id: string;
  cursor: BigintCount;
  applied: BigintCount;
  rejected: BigintCount;
  failures: Generated<number>;
  last_error: string | null;
  last_error_at: Timestamp | null;
  last_success_at: Timestamp | null;
  created_at: Timestamp;
  unfollowed_at: Timestamp | null;
}

export interface ExchangeFeedbackOutboxTable {
  id: Generated<string>;
  source_id: string;
  entry_id: string;
  verdict: 'confirmed' | 'false_positive';
  created_at: Timestamp;
  sent_at: Timestamp | null;
  /** The end of the lease of the loop sending it (migrations/034-feedback-claim.ts); null when unclaimed. */
  claimed_until: Timestamp | null;
}
