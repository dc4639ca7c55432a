import type { SignalHit, SignalIndex, SignalMatch, SignalRead, SignalType } from '@takedown/core';

/**
 * A made-up sixth signal type, to show that a new type needs nothing but its own module and its
 * registration: a 64-bit perceptual image hash (16 hex characters, Hamming distance), with a brute-force
 * index of its own. Nothing in takedown names it.
 */
export interface Phash64Thresholds {
  blockBits: number;
  reviewBits: number;
}

const HEX16 = /^[0-9a-f]{16}$/;

function read(raw: unknown): SignalRead<string> {
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return HEX16.test(value) ? { ok: true, value } : { ok: false, field: 'phash64', message: 'A phash64 is 16 hexadecimal characters.' };
}

function distance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  for (; x > 0n; x >>= 1n) bits += Number(x & 1n);
  return bits;
}

class Phash64Index implements SignalIndex<string, Phash64Thresholds> {
  readonly #values = new Map<number, string>();
  get size(): number {
    return this.#values.size;
  }
  add(id: number, value: string): void {
    this.#values.set(id, value);
  }
  remove(id: number): boolean {
    return this.#values.delete(id);
  }
  search(value: string, within: readonly Phash64Thresholds[]): SignalHit<Phash64Thresholds>[] {
    const radius = Math.max(...within.map((t) => Math.max(t.blockBits, t.reviewBits)));
    const hits: SignalHit<Phash64Thresholds>[] = [];
    for (const [id, stored] of this.#values) {
      const d = distance(value, stored);
      if (d > radius) continue;
      hits.push({
        id,
        judge: (t): SignalMatch | undefined => {
          const withinBlock = d <= t.blockBits;
          if (!withinBlock && d > t.reviewBits) return undefined;
          return { distance: d, exact: d === 0, withinBlock, threshold: withinBlock ? t.blockBits : t.reviewBits, trustworthy: true };
        },
      });
    }
    return hits;
  }
}

export const phash64Signal: SignalType<string, Phash64Thresholds> = {
  name: 'phash64',
  label: 'pHash-64',
  media: 'image',
  names: { threatexchange: ['phash64'], stopncii: ['ImagePHash64'] },
  fields: ['phash64'],
  fieldSchemas: { phash64: { type: 'string', pattern: '^[0-9a-fA-F]{16}$' } },
  readFields: (fields) => (fields.phash64 === undefined ? undefined : read(fields.phash64)),
  writeFields: (value) => ({ phash64: value }),
  parseText: read,
  formatText: (value) => value,
  key: (value) => value,
  thresholds: {
    defaults: { blockBits: 2, reviewBits: 8 },
    check(value) {
      const ok = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
      if (!ok(value.blockBits, 4) || !ok(value.reviewBits, 12)) return { ok: false, problems: [{ field: 'phash64', message: 'phash64 blocks at 0–4 bits and reviews at up to 12.' }] };
      return { ok: true, value: { blockBits: value.blockBits as number, reviewBits: value.reviewBits as number } };
    },
    describe: (t) => `block at ≤ ${t.blockBits} bits, review at ≤ ${t.reviewBits} bits`,
  },
  createIndex: () => new Phash64Index(),
};
