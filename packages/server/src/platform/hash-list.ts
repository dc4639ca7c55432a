import { hashListFormat, hashListFormats, signalTypes, type HashEntry, type HashListFormat } from '@takedown/core';

/**
 * Hash lists people exchange (DESIGN.md §8), as banks import and export them. The formats themselves are
 * core's parsers and writers (`hash-lists/`); the signal types' names and values are the registry's.
 */
export type { HashListFormat };

/** One signal of a list: its type's takedown name and its value as the type reads it. */
export interface ListedHash {
  signal: string;
  value: unknown;
}

export interface HashListReport {
  linesRead: number;
  /** Hashes to add to the bank. */
  hashes: ListedHash[];
  /** Hashes the list says must leave the bank (StopNCII records of withdrawn or deleted cases). */
  removals: ListedHash[];
  duplicates: number;
  rejected: { line: number; reason: string }[];
}

export const HASH_LIST_FORMAT_NAMES = hashListFormats.map((f) => f.name);

/** Entries as the formats give them (checked by their type already) → values. */
function listed(entries: readonly HashEntry[]): ListedHash[] {
  return entries.map((entry) => {
    const read = signalTypes.get(entry.signalType)!.parseText(entry.hash);
    if (!read.ok) throw new Error(`a ${entry.signalType} signal the list format accepted does not read back: ${read.message}`);
    return { signal: entry.signalType, value: read.value };
  });
}

export function parseHashList(text: string, format: HashListFormat | string): HashListReport {
  const chosen = typeof format === 'string' ? hashListFormat(format) : format;
  if (!chosen) throw new Error(`unknown hash-list format "${String(format)}"`);
  const { entries, removals, report } = chosen.parse(text);
  return {
    linesRead: report.linesRead,
    hashes: listed(entries),
    removals: listed(removals),
    duplicates: report.duplicates,
    rejected: report.rejected,
  };
}

/**
 * Writes a bank in one of the formats, with the signals of types the format cannot hold counted by type
 * (plain hex holds PDQ only; StopNCII's records have no SHA-256 or vPDQ type), so nothing is left out unsaid.
 */
export function formatHashList(hashes: ListedHash[], format: HashListFormat | string): { text: string; leftOut: Record<string, number> } {
  const chosen = typeof format === 'string' ? hashListFormat(format) : format;
  if (!chosen) throw new Error(`unknown hash-list format "${String(format)}"`);
  const leftOut: Record<string, number> = {};
  const entries = [];
  for (const h of hashes) {
    if (chosen.carries(h.signal)) entries.push({ signalType: h.signal, hash: signalTypes.get(h.signal)!.formatText(h.value) });
    else leftOut[h.signal] = (leftOut[h.signal] ?? 0) + 1;
  }
  return { text: chosen.write(entries), leftOut };
}
