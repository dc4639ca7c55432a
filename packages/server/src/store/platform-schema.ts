import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { OpenDatabase, Tx } from './database.ts';

/** The platform tables (migrations/002-platform.ts), as Kysely sees them. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** xid8 reads back as a decimal string; written only by the column default or `pg_current_xact_id()`. */
type Xid = ColumnType<string, never, never>;

export interface PlatformsTable {
  id: string;
  name: string;
  webhook_url: string | null;
  webhook_secret: Uint8Array | null;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
}

export interface PlatformKeysTable {
  id: string;
  platform_id: string;
  secret_hash: string;
  scopes: Json<string[]>;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface PlatformContentTable {
  ref: ColumnType<string | number, never, never>;
  platform_id: string;
  content_id: string;
  url: string | null;
  media_type: string | null;
  pdq: string | null;
  pdq_quality: number | null;
  pdq_variants: string | null;
  md5: string | null;
  sha256: string | null;
  /** vPDQ frames as JSON text (migrations/003-video.ts). */
  vpdq: ColumnType<string | null, string | null | undefined, string | null>;
  registered_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  change_xid: Xid;
}

export interface BanksTable {
  id: string;
  name: string;
  description: Generated<string>;
  kind: 'confirmed' | 'imported';
  enabled: Generated<boolean>;
  pdq_block_bits: Generated<number>;
  pdq_review_bits: Generated<number>;
  md5_block_bits: Generated<number>;
  sha256_block_bits: Generated<number>;
  /** migrations/005-bank-vpdq.ts */
  vpdq_match_percent: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  change_xid: Xid;
}

export interface BankHashesTable {
  id: ColumnType<string | number, never, never>;
  bank_id: string;
  signal: 'pdq' | 'md5' | 'sha256' | 'vpdq';
  /** For vPDQ, the SHA-256 of `frames` (the row's identity); otherwise the hash itself. */
  hash: string;
  /** vPDQ frames as JSON text; null for the other signals (migrations/003-video.ts). */
  frames: ColumnType<string | null, string | null | undefined, string | null>;
  quality: number | null;
  item_id: string | null;
  added_at: Timestamp;
  removed_at: Timestamp | null;
  change_xid: Xid;
}

export interface PlatformItemContentTable {
  item_id: string;
  content_ref: number | string;
  relation: 'original' | 'copy';
  distance: number;
  found_at: Timestamp;
}

export interface PlatformEventsTable {
  id: string;
  platform_id: string;
  type: string;
  item_id: string | null;
  case_id: string | null;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  attempts: Generated<number>;
  last_attempt_at: Timestamp | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  escalated_at: Timestamp | null;
  gave_up_at: Timestamp | null;
}

export interface PlatformDatabase extends Database {
  platforms: PlatformsTable;
  platform_keys: PlatformKeysTable;
  platform_content: PlatformContentTable;
  banks: BanksTable;
  bank_hashes: BankHashesTable;
  platform_item_content: PlatformItemContentTable;
  platform_events: PlatformEventsTable;
}

export type PlatformTx = Transaction<PlatformDatabase>;

/** The same transaction, typed with the platform tables too (they live in the same database). */
export function platformTx(tx: Tx): PlatformTx {
  return tx as unknown as PlatformTx;
}

export function platformDb(database: OpenDatabase): Kysely<PlatformDatabase> {
  return database.db as unknown as Kysely<PlatformDatabase>;
}
