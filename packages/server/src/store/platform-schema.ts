import type { ColumnType, Generated } from 'kysely';

/**
 * The platform tables (migrations/002-platform.ts), as Kysely sees them; schema.ts lists them in the one
 * `Database` type beside the case tables, since they live in the same database and join with them.
 */
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
  /** The regime the platform says it answers to (migrations/020); null: none set. */
  jurisdiction: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A web host a platform serves (migrations/008-platform-hosts.ts): `example.com` or `*.cdn.example.com`. */
export interface PlatformHostsTable {
  host: string;
  platform_id: string;
  declared_at: Timestamp;
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
  /** The content's signals: the signal types' fields as JSON text (migrations/007-signals-as-data.ts). */
  signals: string;
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
  /** Per signal type, that type's settings (migrations/007-signals-as-data.ts); missing types use their defaults. */
  thresholds: ColumnType<Record<string, Record<string, unknown>>, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  change_xid: Xid;
  /** Set for a bank filled by a followed feed (migrations/011-exchange.ts): what its hashes may do. */
  follow_trust: ColumnType<'review' | 'block' | null, 'review' | 'block' | null | undefined, 'review' | 'block' | null>;
}

export interface BankHashesTable {
  id: ColumnType<string | number, never, never>;
  bank_id: string;
  /** A registered signal type's name. */
  signal: string;
  /** The signal type's key of the value (for vPDQ, the SHA-256 of its frames); for most types the hash itself. */
  hash: string;
  /** The type's fields as JSON text when the key does not carry the whole value (vPDQ frames, PDQ quality). */
  value: ColumnType<string | null, string | null | undefined, string | null>;
  quality: number | null;
  item_id: string | null;
  added_at: Timestamp;
  removed_at: Timestamp | null;
  change_xid: Xid;
  /** The followed source's opaque id of the hash (banks filled by a feed only). */
  exchange_entry: ColumnType<string | null, string | null | undefined, string | null>;
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
