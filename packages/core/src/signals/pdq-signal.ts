import { MatchIndex, type Match } from '@takedown/match';
import type { HashMatcher, SignalHit, SignalIndex, SignalMatch, SignalRead, SignalType } from './signal-type.ts';

/** A PDQ hash with what came with it: its quality and, when the bytes were hashed, its 7 other dihedral variants. */
export interface PdqValue {
  hash: string;
  quality?: number;
  variants?: string[];
}

/** A bank's PDQ thresholds, in bits of Hamming distance. */
export interface PdqThresholds {
  /** At or under this, a match with a confirmed item may block an upload; -1: PDQ never blocks. At most 10. */
  blockBits: number;
  /** At or under this, a match goes to a person. At most 31. */
  reviewBits: number;
}

/** Below this quality an image is too uniform for its hash to identify it (DESIGN §4): never actioned alone. */
export const MIN_PDQ_QUALITY = 50;
export const MAX_PDQ_BLOCK_BITS = 10;
export const MAX_PDQ_REVIEW_BITS = 31;

const HEX64 = /^[0-9a-f]{64}$/;

function readHash(raw: unknown, field: string): SignalRead<string> {
  if (typeof raw !== 'string') return { ok: false, field, message: `${field} is a PDQ hash written as 64 hexadecimal characters.` };
  const value = raw.trim().toLowerCase();
  if (!/^[0-9a-f]*$/.test(value)) return { ok: false, field, message: 'A PDQ hash uses only the characters 0–9 and a–f. Check that it was copied exactly.' };
  if (!HEX64.test(value)) return { ok: false, field, message: `A PDQ hash has 64 characters; this one has ${value.length}. Check that it was copied whole.` };
  return { ok: true, value };
}

const whole = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * PDQ (images), Meta's perceptual hash: 256 bits compared by Hamming distance. Filed and searched under its
 * dihedral variants when they are known, so rotated and mirrored copies are found.
 */
export const pdqSignal: SignalType<PdqValue, PdqThresholds> = {
  name: 'pdq',
  label: 'PDQ',
  media: 'image',
  names: { threatexchange: ['pdq'], stopncii: ['ImagePDQ'] },
  fields: ['pdq', 'pdqQuality', 'pdqVariants'],
  fieldSchemas: {
    pdq: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'PDQ hash, 64 hex characters.' },
    pdqQuality: { type: 'integer', minimum: 0, maximum: 100, description: 'PDQ quality. Below 50 (or absent) a PDQ match never blocks.' },
    pdqVariants: { type: 'array', maxItems: 7, items: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' }, description: 'The other dihedral variants, to find rotated and mirrored copies.' },
  },
  readFields(fields) {
    const raw = fields.pdq;
    const quality = fields.pdqQuality;
    const variants = fields.pdqVariants;
    if (raw === undefined || raw === null || raw === '') {
      if (quality !== undefined && quality !== null) {
        return { ok: false, field: 'pdqQuality', code: 'quality_without_hash', message: 'A PDQ quality only makes sense with a PDQ hash; please add the hash or remove the quality.' };
      }
      if (variants !== undefined && variants !== null) return { ok: false, field: 'pdqVariants', message: 'pdqVariants only make sense with a PDQ hash; add pdq or remove them.' };
      return undefined;
    }
    const hash = readHash(raw, 'pdq');
    if (!hash.ok) return hash;
    const value: PdqValue = { hash: hash.value };
    if (quality !== undefined && quality !== null) {
      if (!whole(quality, 0, 100)) return { ok: false, field: 'pdqQuality', code: 'invalid_quality', message: 'The PDQ quality is a whole number from 0 to 100.' };
      value.quality = quality;
    }
    if (variants !== undefined && variants !== null) {
      if (!Array.isArray(variants) || variants.length > 7 || !variants.every((v) => typeof v === 'string' && HEX64.test(v.toLowerCase()))) {
        return { ok: false, field: 'pdqVariants', message: 'pdqVariants is a list of up to 7 PDQ hashes (the other dihedral variants), 64 hex characters each.' };
      }
      if (variants.length > 0) value.variants = (variants as string[]).map((v) => v.toLowerCase());
    }
    return { ok: true, value };
  },
  writeFields(value) {
    const fields: Record<string, unknown> = { pdq: value.hash };
    if (value.quality !== undefined) fields.pdqQuality = value.quality;
    if (value.variants && value.variants.length > 0) fields.pdqVariants = value.variants;
    return fields;
  },
  parseText(text) {
    const hash = readHash(text, 'pdq');
    return hash.ok ? { ok: true, value: { hash: hash.value } } : hash;
  },
  formatText: (value) => value.hash,
  key: (value) => value.hash,
  quality: (value) => value.quality,
  thresholds: {
    defaults: { blockBits: 10, reviewBits: 31 },
    check(value) {
      const problems: { field: string; message: string }[] = [];
      const { blockBits, reviewBits } = value;
      if (!whole(blockBits, -1, MAX_PDQ_BLOCK_BITS)) {
        problems.push({ field: 'pdq.blockBits', message: `The PDQ block threshold is a whole number of bits from 0 to ${MAX_PDQ_BLOCK_BITS} (or -1 to never block): only near-exact copies may be blocked without a person.` });
      }
      if (!whole(reviewBits, 0, MAX_PDQ_REVIEW_BITS)) problems.push({ field: 'pdq.reviewBits', message: `The PDQ review threshold is a whole number of bits from 0 to ${MAX_PDQ_REVIEW_BITS}.` });
      else if (whole(blockBits, -1, MAX_PDQ_BLOCK_BITS) && reviewBits < blockBits) problems.push({ field: 'pdq.reviewBits', message: 'The PDQ review threshold cannot be below the block threshold.' });
      if (problems.length > 0) return { ok: false, problems };
      return { ok: true, value: { blockBits: blockBits as number, reviewBits: reviewBits as number } };
    },
    describe: (t) => `${t.blockBits < 0 ? 'never blocks' : `block at ≤ ${t.blockBits} bits`}, review at ≤ ${t.reviewBits} bits`,
  },
  createIndex: (options) => new PdqIndex(options?.hashMatcher ?? new MatchIndex({ helper: options?.verifyHelper })),
};

/**
 * PDQ values in one multi-index (`@takedown/match`'s `MatchIndex`, or the `HashMatcher` given). Only the ids
 * of low-quality values are remembered, so a bank of millions of good hashes adds no per-hash object for the
 * garbage collector.
 */
export class PdqIndex implements SignalIndex<PdqValue, PdqThresholds> {
  readonly #index: HashMatcher;
  readonly #lowQuality = new Set<number>();
  #size = 0;

  constructor(index: HashMatcher = new MatchIndex()) {
    this.#index = index;
  }

  get size(): number {
    return this.#size;
  }

  add(id: number, value: PdqValue): void {
    this.remove(id);
    this.addMany([{ id, value }]);
  }

  /** Bulk load: one allocation for all the hashes instead of one per hash (bank loads at start). */
  addMany(entries: readonly { id: number; value: PdqValue }[]): void {
    const rows: { id: number; hash: string }[] = [];
    for (const { id, value } of entries) {
      rows.push({ id, hash: value.hash });
      for (const variant of value.variants ?? []) rows.push({ id, hash: variant });
      if (value.quality !== undefined && value.quality < MIN_PDQ_QUALITY) this.#lowQuality.add(id);
    }
    this.#index.addHex(rows);
    this.#size += entries.length;
  }

  remove(id: number): boolean {
    if (this.#index.remove(id) === 0) return false;
    this.#lowQuality.delete(id);
    this.#size -= 1;
    return true;
  }

  /** Folds what was added into the compact postings (after a bulk load; queries never need it). */
  compact(): void {
    this.#index.compact?.();
  }

  search(value: PdqValue, within: readonly PdqThresholds[]): SignalHit<PdqThresholds>[] {
    const radius = searchRadius(within);
    if (radius < 0) return [];
    const matches = value.variants?.length ? this.#index.queryDihedral([value.hash, ...value.variants], { radius }) : this.#index.query(value.hash, { radius });
    return this.#hits(value, matches);
  }

  /** `search` through the matcher's asynchronous queries where it has them (a matcher in worker threads). */
  async searchAsync(value: PdqValue, within: readonly PdqThresholds[]): Promise<SignalHit<PdqThresholds>[]> {
    const index = this.#index;
    if (!index.queryAsync || !index.queryDihedralAsync) return this.search(value, within);
    const radius = searchRadius(within);
    if (radius < 0) return [];
    const matches = value.variants?.length ? await index.queryDihedralAsync([value.hash, ...value.variants], { radius }) : await index.queryAsync(value.hash, { radius });
    return this.#hits(value, matches);
  }

  #hits(value: PdqValue, matches: readonly Match[]): SignalHit<PdqThresholds>[] {
    const queryTrusted = value.quality !== undefined && value.quality >= MIN_PDQ_QUALITY;
    return matches.map(({ id, distance }) => {
      const trustworthy = queryTrusted && !this.#lowQuality.has(id);
      return { id, judge: (t: PdqThresholds) => judgePdq(distance, trustworthy, t) };
    });
  }
}

/** The loosest of the banks' thresholds, at most 31 bits; -1 when none searches PDQ. */
function searchRadius(within: readonly PdqThresholds[]): number {
  let radius = -1;
  for (const t of within) radius = Math.max(radius, t.reviewBits, t.blockBits);
  return radius < 0 ? -1 : Math.min(MAX_PDQ_REVIEW_BITS, radius);
}

function judgePdq(distance: number, trustworthy: boolean, t: PdqThresholds): SignalMatch | undefined {
  const withinBlock = t.blockBits >= 0 && distance <= t.blockBits;
  if (!withinBlock && distance > t.reviewBits) return undefined;
  return { distance, exact: distance === 0, withinBlock, threshold: withinBlock ? t.blockBits : t.reviewBits, trustworthy };
}
