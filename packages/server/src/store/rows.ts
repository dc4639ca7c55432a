import type { Selectable } from 'kysely';
import type { CasesTable, ItemsTable } from './schema.ts';

export type CaseRow = Selectable<CasesTable>;
export type ItemRow = Selectable<ItemsTable>;

/** PGlite hands back Uint8Array and pg a Buffer for bytea; timestamps as Date from both. */
export function bytes(value: Uint8Array | null): Buffer | null {
  return value === null ? null : Buffer.from(value);
}

/** The hashes an item was identified by, as the API shows them. */
export function itemHashes(row: ItemRow): { pdq?: string; pdqQuality?: number; md5?: string; sha256?: string } {
  const hashes: { pdq?: string; pdqQuality?: number; md5?: string; sha256?: string } = {};
  if (row.pdq) hashes.pdq = row.pdq;
  if (row.pdq_quality !== null) hashes.pdqQuality = row.pdq_quality;
  if (row.md5) hashes.md5 = row.md5;
  if (row.sha256) hashes.sha256 = row.sha256;
  return hashes;
}

/** Open items are the ones the removal clock still runs for. */
export const OPEN_ITEM_STATES = ['pending', 'confirmed'] as const;
