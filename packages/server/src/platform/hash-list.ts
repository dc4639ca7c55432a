import { hashListFormat, hashListFormats, type HashEntry, type HashListFormat } from '@takedown/match';
import type { Signal } from './verdict.ts';

/**
 * Hash lists people exchange (DESIGN.md §8), as banks import and export them. The formats themselves (plain
 * hex lines, HMA's bank CSV, ThreatExchange `<type> <signal>` lines, StopNCII-style records) are the match
 * package's parsers and writers; this file maps their signal types onto the banks' signals.
 */
export type { HashListFormat };

/** Signals hash lists carry: one hex string per hash (video lists carry MD5, not vPDQ). */
export type ListedSignal = Exclude<Signal, 'vpdq'>;

export interface ListedHash {
  signal: ListedSignal;
  hash: string;
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

/** python-threatexchange signal type names → the banks' signals. `video_md5` is the MD5 of a video file. */
const SIGNAL_OF: Record<string, ListedSignal> = { pdq: 'pdq', md5: 'md5', video_md5: 'md5', sha256: 'sha256' };
const HEX_LENGTH: Record<ListedSignal, number> = { pdq: 64, md5: 32, sha256: 64 };

export function isSignalHash(signal: Signal, hash: string): boolean {
  return signal !== 'vpdq' && hash.length === HEX_LENGTH[signal] && /^[0-9a-f]+$/.test(hash);
}

/** The format named on the command line; `hex` is another name for `plain`. */
export function namedHashListFormat(name: string): HashListFormat | undefined {
  return hashListFormat(name === 'hex' ? 'plain' : name);
}

export const HASH_LIST_FORMAT_NAMES = ['hex', ...hashListFormats.map((f) => f.name).filter((n) => n !== 'plain')];

function listed(entries: readonly HashEntry[]): ListedHash[] {
  const seen = new Set<string>();
  const out: ListedHash[] = [];
  for (const entry of entries) {
    const signal = SIGNAL_OF[entry.signalType];
    const key = `${signal}:${entry.hash}`;
    if (signal === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push({ signal, hash: entry.hash });
  }
  return out;
}

export function parseHashList(text: string, format: HashListFormat | string): HashListReport {
  const chosen = typeof format === 'string' ? namedHashListFormat(format) : format;
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

/** Writes a bank in one of the formats. Plain hex holds PDQ only; the others carry every signal. */
export function formatHashList(hashes: ListedHash[], format: HashListFormat | string): string {
  const chosen = typeof format === 'string' ? namedHashListFormat(format) : format;
  if (!chosen) throw new Error(`unknown hash-list format "${String(format)}"`);
  const entries = hashes.filter((h) => chosen.name !== 'plain' || h.signal === 'pdq').map((h) => ({ signalType: h.signal, hash: h.hash }));
  return chosen.write(entries);
}
