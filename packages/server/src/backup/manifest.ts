/**
 * What a backup archive holds, written as `manifest.json` beside the data: the schema it was taken with, the
 * tables in the order they are restored, the keys its encrypted values need (by id, never the keys), the audit
 * log's head at that moment, and a SHA-256 for every other file, so a damaged archive is refused before
 * anything is written.
 */
export interface BackupManifest {
  format: 'takedown-backup';
  version: 1;
  createdAt: string;
  /** The database it was taken from; a backup restores into either kind. */
  source: 'pglite' | 'postgres';
  migrations: string[];
  /** In insert order (parents first); each table's rows are the lines of `tables/<name>.jsonl`. */
  tables: { name: string; rows: number }[];
  /** Shared copies, as stored (encrypted), in `media/<itemId>.bin`. */
  copies: number;
  keys: {
    /** Ids of the master keys the encrypted values and copies need (`legacy`: from before key ids). */
    needed: string[];
    /** Id of the keyed-hash keys (PINs, notifier fingerprints, sessions). */
    hashKeys: string;
    /** Whether `secret.key` is in the archive (only with `takedown backup --include-key`). */
    included: boolean;
  };
  auditHead: { seq: number; hash: string } | null;
  files: Record<string, { bytes: number; sha256: string }>;
}

export const MANIFEST_FILE = 'manifest.json';
export const KEY_FILE_IN_ARCHIVE = 'secret.key';

export const tableFile = (table: string) => `tables/${table}.jsonl`;
export const copyFile = (itemId: string) => `media/${itemId}.bin`;

/** The manifest in this text, or why it is not one. */
export function parseManifest(text: string): BackupManifest | string {
  let value: Partial<BackupManifest>;
  try {
    value = JSON.parse(text) as Partial<BackupManifest>;
  } catch {
    return 'its manifest is not JSON';
  }
  if (value.format !== 'takedown-backup') return 'it is not a takedown backup';
  if (value.version !== 1) return `it is a version ${String(value.version)} backup; this takedown reads version 1`;
  if (!Array.isArray(value.migrations) || !Array.isArray(value.tables) || typeof value.files !== 'object' || value.files === null || !value.keys) {
    return 'its manifest is incomplete';
  }
  return value as BackupManifest;
}
