import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type HashListParse, detectHashListFormat, hashListFormat, hashListFormats } from '@takedown/core';
import { type Match, MatchIndex, SnapshotError, isHashHex, readSnapshot } from '@takedown/match';
import { DEFAULT_MAX_PIXELS } from '../../media/decode-image.ts';
import { describeHashError } from '../../media/hash-errors.ts';
import { hashImageFile } from '../../media/hash-image.ts';
import { type CliCommand, UsageError } from '../command.ts';

const help = `Usage: takedown match --bank <file> [options] <hash|image file>...

Looks up PDQ hashes, or the images in files, in a bank of known hashes and prints what matches:
  <query>,<bank hash>,<distance>
one line per match, nearest first. A query with no match prints nothing.

The bank is a hash list in one of these formats (detected from its first line, or named with --format):
${hashListFormats.map((f) => `  ${f.name.padEnd(15)} ${f.description}`).join('\n')}
or a snapshot written by the match index (a file starting with TKDMATCH; matches then print the id).

Options:
  --bank <file>       the bank to match against (required)
  --format <name>     the bank's format, if detection guesses wrong
  --radius <bits>     largest Hamming distance that counts as a match, 0-256 (default 31)
  --limit <n>         at most n matches per query
  --dihedral          for image files, also match rotated and mirrored copies (8 variants)
  --strict            refuse the bank if any of its lines is malformed
  --json              one JSON object per query: query, pdq, quality (files), md5 (files), matches
  --max-pixels <n>    refuse images larger than this many pixels (default ${DEFAULT_MAX_PIXELS})
  -h, --help          show this help

Image files are also compared by MD5 and SHA-256 with the bank's md5 / sha256 entries (exact copies).
Images of quality below 50 are too uniform to match on reliably: they are still looked up, with a warning.
Malformed bank lines are reported on stderr with their line numbers (the good ones still load, unless
--strict); queries that are neither a 64-hex hash nor a readable image are reported too. Either makes the
exit code 2.`;

interface BankMatch {
  hash: string;
  signalType: string;
  distance: number;
  line?: number;
  id?: number;
}

interface Bank {
  pdq: MatchIndex;
  /** Bank entries by id: hash and line, for lists (snapshots only have ids). */
  entries?: { hash: string; line: number }[];
  /** Exact-copy signals (md5, video_md5, sha256) by hex. */
  digests: Map<string, { signalType: string; line: number }>;
}

function wholeNumber(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`${name} needs a whole number from 0 to ${max}; got "${value}".`);
  return n;
}

function bankFromList(parsed: HashListParse): Bank {
  const entries: { hash: string; line: number }[] = [];
  const digests = new Map<string, { signalType: string; line: number }>();
  for (const entry of parsed.entries) {
    if (entry.signalType === 'pdq') entries.push({ hash: entry.hash, line: entry.line });
    else digests.set(entry.hash, { signalType: entry.signalType, line: entry.line });
  }
  const pdq = new MatchIndex({ capacity: entries.length });
  pdq.addHex(entries.map((entry, id) => ({ id, hash: entry.hash })));
  pdq.compact();
  return { pdq, entries, digests };
}

export const matchCommand: CliCommand = {
  help,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        bank: { type: 'string' },
        format: { type: 'string' },
        radius: { type: 'string' },
        limit: { type: 'string' },
        dihedral: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'max-pixels': { type: 'string' },
      },
    });
    if (values.bank === undefined) throw new UsageError('name the bank to match against with --bank <file>.');
    if (positionals.length === 0) throw new UsageError('give at least one hash or image file to look up.');
    const radius = wholeNumber(values.radius, '--radius', 31, 256);
    const limit = values.limit === undefined ? undefined : wholeNumber(values.limit, '--limit', 0, 2 ** 31);
    const maxPixels = wholeNumber(values['max-pixels'], '--max-pixels', DEFAULT_MAX_PIXELS, Number.MAX_SAFE_INTEGER);
    const format = values.format === undefined ? undefined : hashListFormat(values.format);
    if (values.format !== undefined && format === undefined) {
      throw new UsageError(`unknown format "${values.format}"; use one of ${hashListFormats.map((f) => f.name).join(', ')}.`);
    }

    let problems = 0;
    const warn = (message: string) => {
      problems++;
      process.stderr.write(`takedown match: ${message}\n`);
    };

    let bytes: Buffer;
    try {
      bytes = await readFile(values.bank);
    } catch (error) {
      warn(`${values.bank}: ${describeHashError(error)}`);
      return 2;
    }
    let bank: Bank;
    if (format === undefined && bytes.subarray(0, 8).toString('latin1') === 'TKDMATCH') {
      try {
        bank = { pdq: readSnapshot(bytes), digests: new Map() };
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        warn(`${values.bank}: ${error.message}`);
        return 2;
      }
    } else {
      const text = bytes.toString('utf8');
      const parsed = (format ?? detectHashListFormat(text)).parse(text, { strict: values.strict });
      for (const rejected of parsed.report.rejected) warn(`${values.bank}:${rejected.line}: ${rejected.reason}`);
      if (parsed.report.refused) {
        warn(`${values.bank}: nothing loaded (--strict) because ${parsed.report.rejected.length} line(s) are malformed.`);
        return 2;
      }
      bank = bankFromList(parsed);
    }

    const describe = (match: Match): BankMatch => {
      const entry = bank.entries?.[match.id];
      return entry === undefined
        ? { hash: '', signalType: 'pdq', distance: match.distance, id: match.id }
        : { hash: entry.hash, signalType: 'pdq', distance: match.distance, line: entry.line };
    };
    const print = (query: string, matches: BankMatch[], extra: Record<string, unknown>) => {
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ query, ...extra, matches })}\n`);
        return;
      }
      for (const m of matches) process.stdout.write(`${query},${m.hash || `#${m.id}`},${m.distance}\n`);
    };

    for (const query of positionals) {
      if (isHashHex(query)) {
        const pdq = query.toLowerCase();
        print(query, bank.pdq.query(pdq, { radius, limit }).map(describe), { pdq });
        continue;
      }
      let image;
      try {
        image = await hashImageFile(query, { maxPixels, dihedral: values.dihedral });
      } catch (error) {
        const missing = (error as { code?: string }).code === 'ENOENT';
        warn(`${query}: ${missing ? 'neither a PDQ hash (64 hexadecimal characters) nor an existing file.' : describeHashError(error)}`);
        continue;
      }
      if (image.quality < 50) {
        process.stderr.write(`takedown match: ${query}: quality ${image.quality} is below 50, too uniform to match on reliably.\n`);
      }
      const found = image.dihedral
        ? bank.pdq.queryDihedral(image.dihedral, { radius, limit })
        : bank.pdq.query(image.pdq, { radius, limit });
      const exact: BankMatch[] = [];
      for (const digest of [image.md5, image.sha256]) {
        const entry = bank.digests.get(digest);
        if (entry) exact.push({ hash: digest, signalType: entry.signalType, distance: 0, line: entry.line });
      }
      print(query, [...exact, ...found.map(describe)], { pdq: image.pdq, quality: image.quality, md5: image.md5 });
    }
    return problems > 0 ? 2 : 0;
  },
};
