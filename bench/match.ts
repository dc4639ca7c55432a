/**
 * npm run bench:match -- --size N   (default 1 000 000; --queries Q, default 2000 of each kind;
 *   --rows-per-key 1|2|4, the wide layout's keys, default the index's: 1)
 *
 * Builds a match index of N random PDQ-sized hashes and prints JSON: build seconds, bytes per hash (the
 * index's own arrays, and the process's resident memory growth), p50/p99 query milliseconds at radius 31 for
 * random queries and for near-duplicates (an indexed hash with 0-31 bits flipped), recall of the multi-index
 * against a naive oracle written here (a bit-by-bit popcount over the bank's words, sharing no code with the
 * index) and against the exhaustive scan on a sample, the exhaustive scan's nanoseconds per hash (WebAssembly
 * i64.popcnt through the index; the bare WebAssembly loop and plain typed arrays on the
 * same rows), and the ratio exhaustive / multi-index query time, the scan being this run's baseline. Goals at
 * 10 M: one-thread p50 <= 0.25 ms and p99 <= 1 ms, <= 56 B/hash, recall 100 %.
 */
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MatchIndex, popcountKernels, scanTypedArrays, type Match } from '@takedown/match';
import { VerifyHelper } from '@takedown/match/verify-helper';
import { percentile, round, xorshift32 } from './stats.ts';
import { wholeNumberOption } from './options.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const size = wholeNumberOption('size', 1_000_000);
const queriesPerKind = wholeNumberOption('queries', 2000);
const rowsPerKeyOption = process.argv.includes('--rows-per-key') ? wholeNumberOption('rows-per-key', 1) : undefined;
if (rowsPerKeyOption !== undefined && rowsPerKeyOption !== 1 && rowsPerKeyOption !== 2 && rowsPerKeyOption !== 4) throw new Error(`--rows-per-key is 1, 2 or 4; got ${rowsPerKeyOption}`);
const rowsPerKey = rowsPerKeyOption as 1 | 2 | 4 | undefined;
const RADIUS = 31;

const random = xorshift32(0x9e3779b9);

function randomHash(): Uint32Array {
  const hash = new Uint32Array(8);
  for (let w = 0; w < 8; w++) hash[w] = random();
  return hash;
}

function nearDuplicate(words: Uint32Array, row: number, bits: number): Uint32Array {
  const hash = words.slice(row * 8, row * 8 + 8);
  const flipped = new Set<number>();
  while (flipped.size < bits) flipped.add(random() & 255);
  for (const bit of flipped) hash[bit >>> 5] ^= 1 << (bit & 31);
  return hash;
}

/** Milliseconds of CPU (user + system) this process used since `since`: unlike wall time, not inflated
 * while other processes hold the (shared) cores. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

interface QueryTimes { p50: number; p99: number; mean: number; cpuMean: number; matches: number }

function timeQueries(index: MatchIndex, queries: Uint32Array[], useHelper = false): QueryTimes {
  for (const query of queries.slice(0, 50)) index.query(query, { radius: RADIUS, useHelper }); // warm-up
  const times: number[] = [];
  let matches = 0;
  const cpu = process.cpuUsage();
  for (const query of queries) {
    const start = performance.now();
    matches += index.query(query, { radius: RADIUS, useHelper }).length;
    times.push(performance.now() - start);
  }
  const cpuMean = cpuMs(cpu) / queries.length;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), mean, cpuMean, matches };
}

function report(times: QueryTimes) {
  return { p50Ms: round(times.p50), p99Ms: round(times.p99), meanMs: round(times.mean), cpuMeanMs: round(times.cpuMean), matches: times.matches };
}

/** ns per hash of `scan` over `rows` rows for `queries`, wall and CPU. */
function timeScan(rows: number, queries: Uint32Array[], scan: (query: Uint32Array) => void) {
  // warm-up: WebAssembly starts in V8's baseline compiler and moves to the optimising one after some calls
  for (const query of queries.slice(0, 10)) scan(query);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const query of queries) scan(query);
  const per = 1e6 / (queries.length * rows);
  return { wallNsPerHash: round((performance.now() - start) * per), cpuNsPerHash: round(cpuMs(cpu) * per) };
}

function sameMatches(a: Match[], b: Match[]): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i].id && m.distance === b[i].distance);
}

// --- build -----------------------------------------------------------------------------------------------
/** Generates the bank and the queries, builds the index; the input arrays die with this function's scope. */
function buildBank() {
  const ids = new Uint32Array(size);
  const words = new Uint32Array(size * 8);
  for (let i = 0; i < size; i++) ids[i] = i;
  for (let i = 0; i < words.length; i++) words[i] = random();
  const randomQueries = Array.from({ length: queriesPerKind }, randomHash);
  const nearQueries = Array.from({ length: queriesPerKind }, () => nearDuplicate(words, random() % size, random() % 32));
  const start = performance.now();
  const index = MatchIndex.build(ids, words, { helper, rowsPerKey });
  return { index, randomQueries, nearQueries, bank: words, buildSeconds: (performance.now() - start) / 1000 };
}

// the second thread that verifies half of each query's candidates on banks of 2 M hashes and more; queries
// are timed without it (one thread, the figures the goals are about) and with it
const helper = new VerifyHelper();
collectGarbage();
const rssBefore = process.memoryUsage().rss;
const { index, randomQueries, nearQueries, bank, buildSeconds } = buildBank();
const scanCopy = bank.subarray(0, Math.min(size, 2_000_000) * 8);
const scanRows = scanCopy.length / 8;
// V8 releases dropped ArrayBuffers' memory from a background task after the collection: let it finish
for (let round = 0; round < 5; round++) {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 200));
}
// the bank's words stay for the naive oracle: not the index's memory
const rssGrowth = process.memoryUsage().rss - rssBefore - bank.byteLength
  - (randomQueries.length + nearQueries.length) * 32;
const bytesPerHash = index.byteLength() / index.size;

// --- multi-index queries -----------------------------------------------------------------------------------
const randomTimes = timeQueries(index, randomQueries);
const nearTimes = timeQueries(index, nearQueries);
const randomHelped = timeQueries(index, randomQueries, true);
const nearHelped = timeQueries(index, nearQueries, true);

// --- the other slot layout on the same bank, the same queries: this run's baseline for the layout choice -------
const otherLayout = size >= 1 << 22 ? 'narrow' : 'wide';
const other = MatchIndex.build(Uint32Array.from({ length: size }, (_, i) => i), bank, { layout: otherLayout });
const otherTimes = { random: timeQueries(other, randomQueries), nearDuplicate: timeQueries(other, nearQueries), bytesPerHash: other.byteLength() / size };
const againTimes = { random: timeQueries(index, randomQueries), nearDuplicate: timeQueries(index, nearQueries) };
let otherIdentical = 0;
for (const query of randomQueries.slice(0, 50).concat(nearQueries.slice(0, 150))) {
  if (sameMatches(other.query(query, { method: 'multi-index' }), index.query(query, { method: 'multi-index' }))) otherIdentical++;
}

// --- the postings format's same-run baseline: the same bank and queries in the previous format, timed between
// two more timings of the chosen index

/** The chosen index timed, then `other`, then the chosen index again, and how many of 200 queries both answer alike. */
function timedBetween(other: MatchIndex) {
  const time = (timed: MatchIndex) => ({ random: timeQueries(timed, randomQueries), nearDuplicate: timeQueries(timed, nearQueries) });
  const before = time(index);
  const baseline = time(other);
  const after = time(index);
  let same = 0;
  for (const query of randomQueries.slice(0, 50).concat(nearQueries.slice(0, 150))) {
    if (sameMatches(other.query(query, { method: 'multi-index' }), index.query(query, { method: 'multi-index' }))) same++;
  }
  return { before, baseline, after, same };
}

/** `other` timed between two timings of the chosen index: both indexes' memory and query times, and the ratios. */
function comparedBetween(what: string, other: MatchIndex) {
  const { before, baseline, after, same } = timedBetween(other);
  return {
    what,
    otherBytesPerHash: round(other.byteLength() / size, 1),
    bytesPerHash: round(bytesPerHash, 1),
    other: { random: report(baseline.random), nearDuplicate: report(baseline.nearDuplicate) },
    before: { random: report(before.random), nearDuplicate: report(before.nearDuplicate) },
    after: { random: report(after.random), nearDuplicate: report(after.nearDuplicate) },
    randomP50OverOther: round((before.random.p50 + after.random.p50) / 2 / baseline.random.p50),
    randomCpuOverOther: round((before.random.cpuMean + after.random.cpuMean) / 2 / baseline.random.cpuMean),
    identicalResultsOf200: same,
  };
}

/**
 * The wide layout's same-run baseline: the same bank with the postings of decision 015 (rows in the order
 * they were added, a u32 offset per key), timed between two timings of the index in this run's format
 * (rows ordered by slot 0's key, packed directory: decision 029). Probe radii and keys are the same in both.
 */
function widePostingsBaseline() {
  const plain = MatchIndex.build(Uint32Array.from({ length: size }, (_, i) => i), bank, { rowOrder: 'insertion', directory: 'full', rowsPerKey });
  return comparedBetween('other: rows in insertion order and a u32 offset per key (decision 015); this run: rows ordered by slot 0 and a packed directory', plain);
}

/**
 * The wide layout's keys: the same bank with four rows a key (21-bit keys at 10 M, the keys before decision
 * 036), timed between two timings of the chosen index.
 */
function keysBaseline() {
  if (size < 1 << 22 || rowsPerKey === 4) return 'not compared (narrow layout, or already four rows a key)';
  return comparedBetween('other: four rows a key; this run: the chosen keys', MatchIndex.build(Uint32Array.from({ length: size }, (_, i) => i), bank, { rowsPerKey: 4 }));
}
const keysFormat = keysBaseline();

function postingsBaseline() {
  if (size >= 1 << 22) return widePostingsBaseline();
  const rowsIndex = MatchIndex.build(Uint32Array.from({ length: size }, (_, i) => i), bank, { postings: 'rows' });
  const { before, baseline: rows, after, same } = timedBetween(rowsIndex);
  const splitP50 = (before.random.p50 + after.random.p50) / 2;
  return {
    format: '3-byte row numbers (rows) against split postings (16 low bits + unary shard), narrow layout',
    rowsBytesPerHash: round(rowsIndex.byteLength() / size, 1),
    splitBytesPerHash: round(bytesPerHash, 1),
    rows: { random: report(rows.random), nearDuplicate: report(rows.nearDuplicate) },
    splitBefore: { random: report(before.random), nearDuplicate: report(before.nearDuplicate) },
    splitAfter: { random: report(after.random), nearDuplicate: report(after.nearDuplicate) },
    randomP50SplitOverRows: round(splitP50 / rows.random.p50),
    randomCpuSplitOverRows: round((before.random.cpuMean + after.random.cpuMean) / 2 / rows.random.cpuMean),
    identicalResultsOf200: same,
  };
}
const postingsFormat = postingsBaseline();

// --- recall against a naive oracle and against the exhaustive scan, on a sample of both kinds ----------------
/** Every row of the bank within RADIUS, bit by bit (ids are row numbers): shares no code with the index. */
function naiveOracle(query: Uint32Array): Match[] {
  const found: Match[] = [];
  for (let row = 0; row < size; row++) {
    let distance = 0;
    for (let w = 0; w < 8 && distance <= RADIUS; w++) {
      for (let x = (bank[row * 8 + w] ^ query[w]) >>> 0; x !== 0; x &= x - 1) distance++;
    }
    if (distance <= RADIUS) found.push({ id: row, distance });
  }
  return found.sort((a, b) => a.distance - b.distance || a.id - b.id);
}
const sample = [...randomQueries.slice(0, 50), ...nearQueries.slice(0, 150)];
let expected = 0;
let found = 0;
let identical = 0;
let scanIdentical = 0;
let scanMs = 0;
let mihMs = 0;
for (const query of sample) {
  const oracle = naiveOracle(query);
  let start = performance.now();
  const scanned = index.scan(query, { radius: RADIUS });
  scanMs += performance.now() - start;
  start = performance.now();
  const mih = index.query(query, { radius: RADIUS, method: 'multi-index' });
  mihMs += performance.now() - start;
  const got = new Set(mih.map((m) => `${m.id}:${m.distance}`));
  expected += oracle.length;
  found += oracle.filter((m) => got.has(`${m.id}:${m.distance}`)).length;
  if (sameMatches(oracle, mih)) identical++;
  if (sameMatches(scanned, mih)) scanIdentical++;
}

// --- exhaustive scan: WebAssembly over the whole index, the bare kernel and typed arrays on the same rows ----
// The same rows from memory (scanRows) and from cache (32 768 rows, 1 MiB: L2-resident): the first is bound by
// memory bandwidth on large banks, the second shows the kernels' own cost.
const wholeScan = timeScan(size, randomQueries.slice(0, 20), (query) => index.scan(query, { radius: RADIUS }));
const rows = new Uint32Array(65536);
/** Where compareKernels puts the hashes in its own memory: after the query (0) and the results (64 KiB, 128 KiB). */
const KERNEL_HASHES = 4 * 65536;
const distances = new Uint16Array(65536);
function compareKernels(count: number, repeat: number) {
  const words = scanCopy.subarray(0, count * 8);
  const small = MatchIndex.build(Uint32Array.from({ length: count }, (_, i) => i), words);
  const queries = Array.from({ length: repeat }, (_, i) => randomQueries[i % randomQueries.length]);
  const wasm = timeScan(count, queries, (query) => small.scan(query, { radius: RADIUS }));
  const typed = timeScan(count, queries, (query) => scanTypedArrays(words, 0, count, query, RADIUS, rows, distances));
  // the WebAssembly loop on its own (no index around it), over rows laid out in two planes as the index does
  const memory = new WebAssembly.Memory({ initial: Math.ceil((KERNEL_HASHES + count * 32) / 65536) });
  const memoryWords = new Uint32Array(memory.buffer);
  const planeB = KERNEL_HASHES + count * 16;
  for (let r = 0; r < count; r++) {
    memoryWords.set(words.subarray(r * 8, r * 8 + 4), KERNEL_HASHES / 4 + r * 4);
    memoryWords.set(words.subarray(r * 8 + 4, r * 8 + 8), planeB / 4 + r * 4);
  }
  const kernels = popcountKernels(memory);
  const scalar = timeScan(count, queries, (query: Uint32Array) => {
    memoryWords.set(query, 0);
    for (let first = 0; first < count; first += 16384) {
      kernels.scan(KERNEL_HASHES + first * 16, planeB + first * 16, Math.min(16384, count - first), 0, RADIUS, 65536);
    }
  });
  return { rows: count, wasm, typedArrays: typed, typedOverWasmCpu: round(typed.cpuNsPerHash / wasm.cpuNsPerHash, 2), kernelScalar: scalar };
}
const fromMemory = compareKernels(scanRows, Math.max(5, Math.round(20_000_000 / scanRows)));
const inCache = compareKernels(Math.min(size, 32_768), 300);

// --- live updates: adds and removes on the built index, then queries over compacted + live rows -----------
const liveAdds = 10_000;
let start = performance.now();
for (let i = 0; i < liveAdds; i++) index.add(size + i, randomHash());
const addMicros = ((performance.now() - start) * 1000) / liveAdds;
start = performance.now();
for (let i = 0; i < 100; i++) index.remove(random() % size);
const removeMs = (performance.now() - start) / 100;
const liveTimes = timeQueries(index, nearQueries.slice(0, 500));

console.log(JSON.stringify({
  size,
  layout: size >= 1 << 22 ? 'wide: 11 slots of 23-24 bits, ten probed to 2 bits and one to 1 (radius 31)' : 'narrow: 16 slots of 16 bits, radius 1 each',
  threads: 'every query figure is one thread, but withHelperThread (two threads)',
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  loadAverageAtEnd: round(loadavg()[0], 1), // other processes sharing the cores: why wall time exceeds CPU time
  buildSeconds: round(buildSeconds, 2),
  bytesPerHash: round(bytesPerHash, 1),
  rssBytesPerHash: round(rssGrowth / size, 1),
  queriesRun: randomQueries.length + nearQueries.length,
  radius: RADIUS,
  random: report(randomTimes),
  nearDuplicate: report(nearTimes),
  // the other layout, timed right after the chosen one was timed again (so load changes show as a difference
  // between the chosen layout's two timings)
  otherLayout: {
    layout: otherLayout,
    bytesPerHash: round(otherTimes.bytesPerHash, 1),
    random: report(otherTimes.random),
    nearDuplicate: report(otherTimes.nearDuplicate),
    chosenLayoutAgain: { random: report(againTimes.random), nearDuplicate: report(againTimes.nearDuplicate) },
    randomP50ChosenOverOther: round(againTimes.random.p50 / otherTimes.random.p50),
    identicalResultsOf200: otherIdentical,
  },
  postingsFormat,
  keysFormat,
  // CPU time here counts both threads
  withHelperThread: size >= 1 << 21 ? { random: report(randomHelped), nearDuplicate: report(nearHelped) } : 'not used below 2 M hashes',
  recall: {
    sampleQueries: sample.length,
    expectedMatches: expected,
    foundMatches: found,
    recall: expected === 0 ? 1 : found / expected,
    oracle: 'naive bit-by-bit popcount over the bank, written in this file',
    identicalResults: identical,
    identicalToExhaustiveScan: scanIdentical,
  },
  exhaustive: { wholeIndexWasm: wholeScan, fromMemory, inCache },
  exhaustiveOverMultiIndex: round(scanMs / mihMs, 1),
  exhaustiveOverMultiIndexCpu: round((wholeScan.cpuNsPerHash * size / 1e6) / randomTimes.cpuMean, 1),
  liveUpdates: { addMicros: round(addMicros, 2), removeMs: round(removeMs), uncompactedRows: index.uncompactedRows, nearDuplicate: report(liveTimes) },
}, null, 2));
await helper.close();
