/**
 * npm run bench:match-layouts -- --size N   (default 1 000 000; --queries Q per kind, default 1000;
 * --oracle K queries checked against the naive oracle, default 40)
 *
 * Measures multi-index slot layouts for radius 31 side by side on the same N random hashes, to choose one
 * (docs/decisions/015-slot-layout.md). Every layout is run through the same plain structure — per slot, the
 * rows sorted by key (u32) and one u32 offset per key — and the same verification kernel as the index
 * (`popcountKernels().verify`, one thread), so the layouts differ only in their slots. The shipped index
 * (`MatchIndex`, 16 × 16 bits, compact postings) runs in the same process as the same-run baseline.
 *
 * For each layout: probes and candidates per query (measured), query p50/p99/mean on one thread for random
 * queries and near-duplicates (0–31 bits flipped), bytes per hash of the plain structure (measured) and of
 * the same postings Elias–Fano coded (computed: b + 2 bits a posting, the best a row-precise posting list
 * does), and recall against a naive oracle written here (a bit-by-bit popcount over the words; it shares no
 * code with the kernel).
 *
 * Pigeonhole: a layout with slots probed to radii r_i finds every hash within R bits when Σ (r_i + 1) > R
 * (if every slot differed in more than r_i bits, the distance would be at least Σ (r_i + 1)). Slots may
 * leave bits uncovered: the distance over the covered bits is at most the full distance.
 */
import { cpus, loadavg } from 'node:os';
import { MatchIndex, popcountKernels } from '@takedown/match';
import { percentile, round, xorshift32 } from './stats.ts';
import { wholeNumberOption } from './options.ts';

const size = wholeNumberOption('size', 1_000_000);
const queriesPerKind = wholeNumberOption('queries', 1000);
const oracleQueries = wholeNumberOption('oracle', 40);
const RADIUS = 31;

interface Layout {
  name: string;
  /** Slot widths in bits, slot i taking the next widths[i] bits from the top of the hash. */
  widths: number[];
  /** Probe radius of each slot. */
  radii: number[];
}

const repeat = (n: number, value: number) => Array.from({ length: n }, () => value);
const LAYOUTS: Layout[] = [
  { name: '16 x 16 bits, radius 1 (shipped)', widths: repeat(16, 16), radii: repeat(16, 1) },
  { name: '12 slots (4 x 22 + 8 x 21 bits), radius 2', widths: [...repeat(4, 22), ...repeat(8, 21)], radii: repeat(12, 2) },
  { name: '11 slots (3 x 24 + 8 x 23 bits), radius 2', widths: [...repeat(3, 24), ...repeat(8, 23)], radii: repeat(11, 2) },
  { name: '11 x 21 bits (231 of 256 covered), radius 2', widths: repeat(11, 21), radii: repeat(11, 2) },
  { name: '11 x 22 bits (242 of 256 covered), radius 2', widths: repeat(11, 22), radii: repeat(11, 2) },
];

for (const layout of LAYOUTS) {
  const covered = layout.widths.reduce((a, b) => a + b, 0);
  const reach = layout.radii.reduce((a, r) => a + r + 1, 0);
  if (covered > 256 || reach <= RADIUS) throw new Error(`${layout.name}: not a layout for radius ${RADIUS}`);
}

const random = xorshift32(0x2545f491);

/** The `width`-bit key starting `start` bits from the top of the hash at words[base..base+7]. */
function extract(words: Uint32Array, base: number, start: number, width: number): number {
  const w = start >>> 5;
  const off = start & 31;
  let v = (words[base + w] << off) >>> 0;
  if (off > 0 && w < 7) v = (v | (words[base + w + 1] >>> (32 - off))) >>> 0;
  return v >>> (32 - width);
}

/** Every mask of `width` bits with at most `radius` bits set (the key itself first). */
function flipMasks(width: number, radius: number): Uint32Array {
  const masks: number[] = [];
  const visit = (from: number, mask: number, left: number) => {
    masks.push(mask >>> 0);
    if (left === 0) return;
    for (let b = from; b < width; b++) visit(b + 1, mask | (1 << b), left - 1);
  };
  visit(0, 0, radius);
  return Uint32Array.from(masks);
}

// --- the bank, in a WebAssembly memory laid out as the index's (query, candidates, results, plane A, plane B)
const CHUNK = 16384;
const QUERY_AT = 0;
const ROWS_AT = 256;
const OUT_AT = ROWS_AT + CHUNK * 4;
const PLANE_A = Math.ceil((OUT_AT + CHUNK * 8) / 65536) * 65536;
const PLANE_B = PLANE_A + size * 16;
const memory = new WebAssembly.Memory({ initial: Math.ceil((PLANE_B + size * 16) / 65536) });
const mem = new Uint32Array(memory.buffer);
const kernels = popcountKernels(memory);
const words = new Uint32Array(size * 8);
for (let i = 0; i < words.length; i++) words[i] = random();
for (let r = 0; r < size; r++) {
  mem.set(words.subarray(r * 8, r * 8 + 4), PLANE_A / 4 + r * 4);
  mem.set(words.subarray(r * 8 + 4, r * 8 + 8), PLANE_B / 4 + r * 4);
}

function randomHash(): Uint32Array {
  return Uint32Array.from({ length: 8 }, random);
}
function nearDuplicate(bits: number): Uint32Array {
  const row = random() % size;
  const hash = words.slice(row * 8, row * 8 + 8);
  const flipped = new Set<number>();
  while (flipped.size < bits) flipped.add(random() & 255);
  for (const bit of flipped) hash[bit >>> 5] ^= 1 << (bit & 31);
  return hash;
}
const randomQueries = Array.from({ length: queriesPerKind }, randomHash);
const nearQueries = Array.from({ length: queriesPerKind }, () => nearDuplicate(random() % 32));
// the hardest near-duplicates: exactly 31 bits away
const edgeQueries = Array.from({ length: oracleQueries }, () => nearDuplicate(31));

/** The naive oracle: every row, bit by bit; rows within RADIUS as "row:distance", sorted. */
function oracle(query: Uint32Array): string[] {
  const found: string[] = [];
  for (let r = 0; r < size; r++) {
    let d = 0;
    for (let w = 0; w < 8 && d <= RADIUS; w++) {
      let x = (words[r * 8 + w] ^ query[w]) >>> 0;
      while (x !== 0) {
        x &= x - 1;
        d++;
      }
    }
    if (d <= RADIUS) found.push(`${r}:${d}`);
  }
  return found.sort();
}

// --- one layout: per slot, rows sorted by key and an offset per key -------------------------------------
class PlainLayout {
  readonly offsets: Uint32Array[] = [];
  readonly rows: Uint32Array[] = [];
  readonly starts: number[] = [];
  readonly masks: Uint32Array[];
  readonly buildSeconds: number;
  probes = 0;
  candidates = 0;

  readonly layout: Layout;

  constructor(layout: Layout) {
    this.layout = layout;
    const begin = performance.now();
    let start = 0;
    for (const width of layout.widths) {
      const counts = new Uint32Array((1 << width) + 1);
      for (let r = 0; r < size; r++) counts[extract(words, r * 8, start, width) + 1]++;
      for (let k = 0; k < 1 << width; k++) counts[k + 1] += counts[k];
      const cursor = counts.slice(0, 1 << width);
      const rows = new Uint32Array(size);
      for (let r = 0; r < size; r++) rows[cursor[extract(words, r * 8, start, width)]++] = r;
      this.offsets.push(counts);
      this.rows.push(rows);
      this.starts.push(start);
      start += width;
    }
    this.buildSeconds = (performance.now() - begin) / 1000;
    this.masks = layout.widths.map((width, i) => flipMasks(width, layout.radii[i]));
  }

  byteLength(): number {
    return this.offsets.reduce((a, o) => a + o.byteLength, 0) + this.rows.reduce((a, r) => a + r.byteLength, 0);
  }

  /** Rows within RADIUS, as row -> best distance. */
  query(query: Uint32Array): Map<number, number> {
    mem.set(query, QUERY_AT / 4);
    const best = new Map<number, number>();
    let n = 0;
    const flush = () => {
      const found = kernels.verify(PLANE_A, PLANE_B, ROWS_AT, n, QUERY_AT, RADIUS, OUT_AT);
      for (let k = 0, at = OUT_AT / 4; k < found; k++, at += 2) {
        const seen = best.get(mem[at]);
        if (seen === undefined || mem[at + 1] < seen) best.set(mem[at], mem[at + 1]);
      }
      this.candidates += n;
      n = 0;
    };
    const base = ROWS_AT / 4;
    for (let slot = 0; slot < this.layout.widths.length; slot++) {
      const key = extract(query, 0, this.starts[slot], this.layout.widths[slot]);
      const offsets = this.offsets[slot];
      const rows = this.rows[slot];
      const masks = this.masks[slot];
      this.probes += masks.length;
      for (let m = 0; m < masks.length; m++) {
        const k = key ^ masks[m];
        for (let j = offsets[k], end = offsets[k + 1]; j < end; j++) {
          if (n === CHUNK) flush();
          mem[base + n++] = rows[j];
        }
      }
    }
    flush();
    return best;
  }
}

interface Times { p50Ms: number; p99Ms: number; meanMs: number }
function time(run: (query: Uint32Array) => unknown, queries: Uint32Array[]): Times {
  for (const q of queries.slice(0, 50)) run(q);
  const times: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    run(q);
    times.push(performance.now() - start);
  }
  return { p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)), meanMs: round(times.reduce((a, b) => a + b, 0) / times.length) };
}

const oracleSet = [...nearQueries.slice(0, oracleQueries), ...edgeQueries, ...randomQueries.slice(0, 5)];
const expected = oracleSet.map(oracle);
const expectedMatches = expected.reduce((a, e) => a + e.length, 0);
function recall(run: (query: Uint32Array) => string[]) {
  let found = 0;
  let identical = 0;
  oracleSet.forEach((q, i) => {
    const got = new Set(run(q));
    const hits = expected[i].filter((m) => got.has(m)).length;
    found += hits;
    if (hits === expected[i].length && got.size === hits) identical++;
  });
  return { queries: oracleSet.length, expectedMatches, foundMatches: found, recall: expectedMatches === 0 ? 1 : found / expectedMatches, identicalResults: identical };
}

// --- the shipped index, the same-run baseline --------------------------------------------------------------
const ids = Uint32Array.from({ length: size }, (_, i) => i);
const begin = performance.now();
const shipped = MatchIndex.build(ids, words);
const shippedBuild = (performance.now() - begin) / 1000;
const shippedResult = {
  name: 'MatchIndex (16 x 16 bits, compact postings), the same-run baseline',
  buildSeconds: round(shippedBuild, 2),
  bytesPerHash: round(shipped.byteLength() / size, 1),
  random: time((q) => shipped.query(q, { radius: RADIUS, method: 'multi-index' }), randomQueries),
  nearDuplicate: time((q) => shipped.query(q, { radius: RADIUS, method: 'multi-index' }), nearQueries),
  recall: recall((q) => shipped.query(q, { radius: RADIUS, method: 'multi-index' }).map((m) => `${m.id}:${m.distance}`)),
};

const results = [];
for (const layout of LAYOUTS) {
  const plain = new PlainLayout(layout);
  const randomTimes = time((q) => plain.query(q), randomQueries);
  plain.probes = 0;
  plain.candidates = 0;
  for (const q of randomQueries) plain.query(q);
  const probes = plain.probes / randomQueries.length;
  const candidates = plain.candidates / randomQueries.length;
  const efBits = layout.widths.reduce((a, b) => a + b + 2, 0);
  results.push({
    name: layout.name,
    widths: layout.widths,
    radii: layout.radii,
    coveredBits: layout.widths.reduce((a, b) => a + b, 0),
    buildSeconds: round(plain.buildSeconds, 2),
    probesPerQuery: Math.round(probes),
    candidatesPerQuery: Math.round(candidates),
    random: randomTimes,
    nearDuplicate: time((q) => plain.query(q), nearQueries),
    bytesPerHashPlain: round(32 + 4 + plain.byteLength() / size, 1),
    bytesPerHashEliasFano: round(32 + 4 + efBits / 8, 1),
    recall: recall((q) => [...plain.query(q)].map(([row, d]) => `${row}:${d}`)),
  });
}

console.log(JSON.stringify({
  benchmark: 'match-layouts',
  size,
  radius: RADIUS,
  queriesPerKind,
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  loadAverageAtEnd: round(loadavg()[0], 1),
  threads: 'one thread for every figure',
  baseline: shippedResult,
  layouts: results,
}, null, 2));
