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

/**
 * What kind of file an item was made from, so the person's page can call it a picture or a video: the kind the
 * request said (`media_type`), else a video when it carries a video signal (vPDQ), else a picture when it
 * carries a picture signal (PDQ); undefined for a link alone or digests alone.
 */
export function itemMediaType(row: Pick<ItemRow, 'signals' | 'media_type'>): 'image' | 'video' | undefined {
  if (row.media_type === 'image' || row.media_type === 'video') return row.media_type;
  const media = Object.keys(signalTypes.fromStored(row.signals)).map((name) => signalTypes.get(name)?.media);
  if (media.includes('video')) return 'video';
  if (media.includes('image')) return 'image';
  return undefined;
}

/** Open items are the ones the removal clock still runs for. */
export const OPEN_ITEM_STATES = ['pending', 'confirmed'] as const;
