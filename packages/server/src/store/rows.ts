import { signalTypes } from '@takedown/core';
import type { Selectable } from 'kysely';
import type { CasesTable, ItemsTable } from './schema.ts';

export type CaseRow = Selectable<CasesTable>;
export type ItemRow = Selectable<ItemsTable>;

/** PGlite hands back Uint8Array and pg a Buffer for bytea; timestamps as Date from both. */
export function bytes(value: Uint8Array | null): Buffer | null {
  return value === null ? null : Buffer.from(value);
}

/**
 * The hashes an item was identified by, as the API shows them (the signal types' fields). A video's frame
 * list is left out: it is not for reading, and its digests identify the file.
 */
export function itemHashes(row: Pick<ItemRow, 'signals'>): Record<string, unknown> {
  const values = Object.entries(signalTypes.fromStored(row.signals)).filter(([name]) => signalTypes.get(name)?.media !== 'video');
  return signalTypes.writeAll(Object.fromEntries(values));
}

/** Open items are the ones the removal clock still runs for. */
export const OPEN_ITEM_STATES = ['pending', 'confirmed'] as const;
