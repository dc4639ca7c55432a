import type { Signal } from './verdict.ts';

/**
 * Hash lists people exchange (DESIGN.md §8): plain hex lines (PDQ, one per line) and HMA's bank CSV
 * (`signal_type,signal[,...]`, python-threatexchange signal names). Bad lines are reported by number; the
 * good lines still load unless the caller asks for strict.
 */
export type HashListFormat = 'hex' | 'hma-csv';

/** Signals hash lists carry: one hex string per hash (video lists carry MD5, not vPDQ). */
export type ListedSignal = Exclude<Signal, 'vpdq'>;

export interface ListedHash {
  signal: ListedSignal;
  hash: string;
}

export interface HashListReport {
  linesRead: number;
  hashes: ListedHash[];
  duplicates: number;
  rejected: { line: number; reason: string }[];
}

/** python-threatexchange signal type names → ours. `video_md5` is the MD5 of a video file's bytes. */
const SIGNAL_NAMES: Record<string, ListedSignal> = { pdq: 'pdq', md5: 'md5', video_md5: 'md5', sha256: 'sha256', photo_sha256: 'sha256' };
const HEX_LENGTH: Record<ListedSignal, number> = { pdq: 64, md5: 32, sha256: 64 };

export function isSignalHash(signal: Signal, hash: string): boolean {
  return signal !== 'vpdq' && hash.length === HEX_LENGTH[signal] && /^[0-9a-f]+$/.test(hash);
}

function splitCsvLine(line: string): string[] {
  // HMA writes plain fields (hex, type names); quoted fields are unquoted without embedded-comma support
  // beyond what the two first columns need.
  return line.split(',').map((field) => field.trim().replace(/^"(.*)"$/, '$1'));
}

export function parseHashList(text: string, format: HashListFormat): HashListReport {
  const report: HashListReport = { linesRead: 0, hashes: [], duplicates: 0, rejected: [] };
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (i === lines.length - 1 && line === '') return;
    report.linesRead += 1;
    if (line === '' || line.startsWith('#')) return;
    let signal: Signal;
    let hash: string;
    if (format === 'hex') {
      signal = 'pdq';
      hash = line.toLowerCase();
    } else {
      const [type, value] = splitCsvLine(line);
      if (i === 0 && type.toLowerCase() === 'signal_type') return; // header
      const known = SIGNAL_NAMES[type.toLowerCase()];
      if (!known) {
        report.rejected.push({ line: i + 1, reason: `unknown signal type "${type.slice(0, 40)}" (use pdq, md5, video_md5 or sha256)` });
        return;
      }
      signal = known;
      hash = (value ?? '').toLowerCase();
    }
    if (!isSignalHash(signal, hash)) {
      report.rejected.push({ line: i + 1, reason: `not a ${signal.toUpperCase()} hash: expected ${HEX_LENGTH[signal]} hex characters` });
      return;
    }
    const key = `${signal}:${hash}`;
    if (seen.has(key)) {
      report.duplicates += 1;
      return;
    }
    seen.add(key);
    report.hashes.push({ signal, hash });
  });
  return report;
}

/** Writes a bank in one of the formats. Plain hex holds PDQ only; other signals need the CSV. */
export function formatHashList(hashes: ListedHash[], format: HashListFormat): string {
  if (format === 'hex') {
    return hashes.filter((h) => h.signal === 'pdq').map((h) => `${h.hash}\n`).join('');
  }
  return 'signal_type,signal\n' + hashes.map((h) => `${h.signal},${h.hash}\n`).join('');
}
