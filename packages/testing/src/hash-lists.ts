import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The hash lists written by python-threatexchange's own code, in ../shared/fixtures/hash-lists (see its
 * README), or beside the PDQ vectors when TAKEDOWN_VECTORS_DIR points elsewhere. Missing fixtures fail loudly.
 */
export const HASH_LIST_FIXTURES = process.env.TAKEDOWN_VECTORS_DIR
  ? resolve(process.env.TAKEDOWN_VECTORS_DIR, '../../fixtures/hash-lists')
  : resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/hash-lists');
if (!existsSync(join(HASH_LIST_FIXTURES, 'expected.json'))) {
  throw new Error(`The hash-list fixtures are missing: no expected.json in ${HASH_LIST_FIXTURES}. Put the shared fixtures beside the repository (../shared/fixtures/hash-lists).`);
}

export interface FixtureSignal {
  /** python-threatexchange's type name. */
  type: string;
  signal: string;
  frames?: { hash: string; quality: number; timestamp: number }[];
}

export interface FixtureCase {
  name: string;
  files: string[];
  format: string[];
  present: FixtureSignal[];
  absent?: FixtureSignal[];
}

export const fixtureCases: FixtureCase[] = (JSON.parse(readFileSync(join(HASH_LIST_FIXTURES, 'expected.json'), 'utf8')) as { cases: FixtureCase[] }).cases;

export function fixtureText(file: string): string {
  return readFileSync(join(HASH_LIST_FIXTURES, file), 'utf8');
}

/**
 * python-threatexchange's file-exchange reader, as its README states it: each line stripped, split at the
 * first space, unknown types and signals its types refuse dropped (pdq: lower-case hex only; vpdq: a JSON list
 * of "hash,quality,timestamp"). Written here from those rules, sharing no code with takedown's parsers.
 */
export function readAsPythonThreatExchange(text: string): FixtureSignal[] {
  const out: FixtureSignal[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const type = line.slice(0, space);
    const signal = line.slice(space + 1);
    if (type === 'pdq' && /^[0-9a-f]{64}$/.test(signal)) out.push({ type, signal });
    else if (type === 'video_md5' && /^[0-9a-f]{32}$/.test(signal.toLowerCase())) out.push({ type, signal });
    else if (type === 'video_sha256' && /^[0-9a-f]{64}$/.test(signal.toLowerCase())) out.push({ type, signal });
    else if (type === 'url') out.push({ type, signal });
    else if (type === 'vpdq') {
      const list = JSON.parse(signal) as string[];
      const frames = list.map((s) => {
        const [hash, quality, timestamp] = s.split(',');
        if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`bad vPDQ frame hash ${hash}`);
        return { hash, quality: Number(quality), timestamp: Number(timestamp) };
      });
      out.push({ type, signal, frames });
    }
  }
  return out;
}
