/**
 * npm run bench:match-shards -- --size N --shards S   (default 100 000 000 hashes; S: at most 2^24 rows a shard)
 *   --queries Q (500 of each kind), --oracle-queries K (6: checked against a scan of every hash in plain JS),
 *   --concurrency C (shards built at once; default the cores), --rows-per-key 1|2|4 (the shards' keys; default
 *   the index's, 1: `--rows-per-key 4` gives the shards' keys before decision 033)
 *
 * Builds a `ShardedMatchIndex` (@takedown/match/sharded) of N seeded random hashes in S shards, each a
 * MatchIndex in its own worker thread and WebAssembly memories, and prints JSON: build seconds (wall and the
 * process's CPU, all threads), bytes per hash (the shards' arrays, and the process's resident memory
 * growth and peak), radius-31 query p50/p99 for random queries and planted near-duplicates (an indexed
 * hash with 0-31 bits flipped), the same queries by exhaustive scan in every shard (this run's baseline),
 * recall, and live adds and removes.
 *
 * Recall, with no code shared with the index: every planted near-duplicate must come back at exactly the
 * number of bits flipped; and for K queries (half planted, half random) the whole answer must equal a
 * plain JavaScript bit count over all N hashes, regenerated from the same seed (the bank is never held in
 * this thread: at 100 M it is 3.2 GB). Goals at 100 M: build <= 5 min, p50 <= 2 ms, <= 60 B/hash, recall 100 %.
 */
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Match } from '@takedown/match';
import { DEFAULT_SHARD_ROWS, ShardedMatchIndex } from '@takedown/match/sharded';
import { percentile, round, xorshift32 } from './stats.ts';
import { wholeNumberOption } from './options.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const size = wholeNumberOption('size', 100_000_000);
const shards = wholeNumberOption('shards', Math.ceil(size / DEFAULT_SHARD_ROWS));
const queriesPerKind = wholeNumberOption('queries', 500);
const oracleQueries = wholeNumberOption('oracle-queries', 6);
const concurrency = wholeNumberOption('concurrency', cpus().length);
const rowsPerKey = wholeNumberOption('rows-per-key', 1);
if (rowsPerKey !== 1 && rowsPerKey !== 2 && rowsPerKey !== 4) throw new Error(`--rows-per-key is 1, 2 or 4; got ${rowsPerKey}`);
const RADIUS = 31;
const SEED = 0x2545f491;
const perShard = Math.ceil(size / shards);

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const loadAverages = [round(loadavg()[0], 1)];

// the rows the near-duplicate queries are made from, picked before the bank is generated and copied as it goes by
const pick = xorshift32(0x1234567);
const plantedRows = [...new Set(Array.from({ length: queriesPerKind }, () => pick() % size))].sort((a, b) => a - b);
const plantedWords = new Map<number, Uint32Array>();

// --- build: the bank generated shard by shard (one seeded sequence), each shard handed to its thread ----------
collectGarbage();
const rssBefore = process.memoryUsage().rss;
let peakRss = rssBefore;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
/** xorshift32 (as stats.ts's) written into `words` in one loop: the same sequence, several times faster than a call per word. */
let bankState = SEED;
function fillRandom(words: Uint32Array): void {
  let state = bankState;
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    words[i] = state;
  }
  bankState = state;
}
let generateSeconds = 0;
let nextPlanted = 0;
const buildCpu = process.cpuUsage();
const buildStart = performance.now();
const index = await ShardedMatchIndex.buildFrom(shards, (shard) => {
  const start = performance.now();
  const first = shard * perShard;
  const rows = Math.max(0, Math.min(size, first + perShard) - first);
  const ids = new Uint32Array(rows);
  const words = new Uint32Array(rows * 8);
  for (let i = 0; i < rows; i++) ids[i] = first + i;
  fillRandom(words);
  while (nextPlanted < plantedRows.length && plantedRows[nextPlanted] < first + rows) {
    const row = plantedRows[nextPlanted++];
    plantedWords.set(row, words.slice((row - first) * 8, (row - first + 1) * 8));
  }
  generateSeconds += (performance.now() - start) / 1000;
  return { ids, words };
}, { shards, buildConcurrency: concurrency, rowsPerKey });
const buildSeconds = (performance.now() - buildStart) / 1000;
const buildCpuSeconds = cpuSeconds(buildCpu);
clearInterval(sampler);
loadAverages.push(round(loadavg()[0], 1));
for (let i = 0; i < 5; i++) {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const rssGrowth = process.memoryUsage().rss - rssBefore;

// --- queries ----------------------------------------------------------------------------------------------------
const random = xorshift32(0x9e3779b9);
const randomQueries = Array.from({ length: queriesPerKind }, () => Uint32Array.from({ length: 8 }, () => random()));
/** (row, bits flipped, query) for each planted near-duplicate. */
const planted = plantedRows.map((row) => {
  const query = plantedWords.get(row)!.slice();
  const bits = random() % (RADIUS + 1);
  const flipped = new Set<number>();
  while (flipped.size < bits) flipped.add(random() & 255);
  for (const bit of flipped) query[bit >>> 5] ^= 1 << (bit & 31);
  return { row, bits, query };
});

function timeQueries(queries: Uint32Array[], method: 'auto' | 'exhaustive') {
  for (const query of queries.slice(0, 20)) index.query(query, { radius: RADIUS, method }); // warm-up
  const times: number[] = [];
  const answers: Match[][] = [];
  const cpu = process.cpuUsage();
  for (const query of queries) {
    const start = performance.now();
    answers.push(index.query(query, { radius: RADIUS, method }));
    times.push(performance.now() - start);
  }
  const cpuMs = (cpuSeconds(cpu) * 1000) / queries.length;
  times.sort((a, b) => a - b);
  return {
    answers,
    figures: { p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)), cpuMsPerQuery: round(cpuMs), matches: answers.reduce((n, a) => n + a.length, 0) },
  };
}
// three rounds, interleaved: random, near-duplicates, and the exhaustive baseline on a few random queries
const scanQueries = randomQueries.slice(0, 10);
const rounds = Array.from({ length: 3 }, () => ({
  random: timeQueries(randomQueries, 'auto'),
  planted: timeQueries(planted.map((p) => p.query), 'auto'),
  scan: timeQueries(scanQueries, 'exhaustive'),
}));
const [randomTimes, plantedTimes, scanTimes] = [rounds[0].random, rounds[0].planted, rounds[0].scan];
loadAverages.push(round(loadavg()[0], 1));
/** The median of the rounds' figure, and its range. */
function overRounds(pick: (r: (typeof rounds)[number]) => ReturnType<typeof timeQueries>) {
  const summary = (key: 'p50Ms' | 'p99Ms' | 'cpuMsPerQuery') => {
    const values = rounds.map((r) => pick(r).figures[key]).sort((a, b) => a - b);
    return { median: values[1], range: [values[0], values[2]] };
  };
  return { p50Ms: summary('p50Ms'), p99Ms: summary('p99Ms'), cpuMsPerQuery: summary('cpuMsPerQuery'), matchesPerRound: pick(rounds[0]).figures.matches };
}

// --- recall -----------------------------------------------------------------------------------------------------
let plantedFound = 0;
planted.forEach((p, i) => {
  if (plantedTimes.answers[i].some((m) => m.id === p.row && m.distance === p.bits)) plantedFound++;
});
const sameMatches = (a: Match[], b: Match[]) => a.length === b.length && a.every((m, i) => m.id === b[i].id && m.distance === b[i].distance);
let scanAgrees = 0;
scanQueries.forEach((_, i) => scanAgrees += sameMatches(scanTimes.answers[i], randomTimes.answers[i]) ? 1 : 0);
let roundsAgree = 0;
rounds.forEach((r) => r.planted.answers.forEach((answer, i) => roundsAgree += sameMatches(answer, plantedTimes.answers[i]) ? 1 : 0));

/**
 * Every hash within RADIUS of each query, by regenerating the bank from its seed and counting bits in plain
 * JavaScript (a SWAR popcount of each word): shares no code with the index. Ids are row numbers.
 */
function naiveOracle(queries: Uint32Array[]): Match[][] {
  const regenerate = xorshift32(SEED);
  const found: Match[][] = queries.map(() => []);
  const row = new Uint32Array(8);
  for (let r = 0; r < size; r++) {
    for (let w = 0; w < 8; w++) row[w] = regenerate();
    for (let q = 0; q < queries.length; q++) {
      const query = queries[q];
      let distance = 0;
      for (let w = 0; w < 8 && distance <= RADIUS; w++) {
        let x = (row[w] ^ query[w]) >>> 0;
        x -= (x >>> 1) & 0x55555555;
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        distance += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
      }
      if (distance <= RADIUS) found[q].push({ id: r, distance });
    }
  }
  return found.map((list) => list.sort((a, b) => a.distance - b.distance || a.id - b.id));
}
const oracleIndexes = Array.from({ length: oracleQueries }, (_, i) => i);
const oracleSet = oracleIndexes.map((i) => (i % 2 === 0 ? planted[i % planted.length].query : randomQueries[i]));
const oracleAnswers = oracleIndexes.map((i) => (i % 2 === 0 ? plantedTimes.answers[i % planted.length] : randomTimes.answers[i]));
const oracleStart = performance.now();
const oracle = naiveOracle(oracleSet);
const oracleSeconds = (performance.now() - oracleStart) / 1000;
let oracleIdentical = 0;
let oracleExpected = 0;
let oracleFound = 0;
oracle.forEach((expected, i) => {
  const got = new Set(oracleAnswers[i].map((m) => `${m.id}:${m.distance}`));
  oracleExpected += expected.length;
  oracleFound += expected.filter((m) => got.has(`${m.id}:${m.distance}`)).length;
  if (sameMatches(expected, oracleAnswers[i])) oracleIdentical++;
});

// --- live adds and removes on the built index -------------------------------------------------------------------
const adds = 1000;
const added = Array.from({ length: adds }, () => Uint32Array.from({ length: 8 }, () => random()));
let start = performance.now();
added.forEach((hash, i) => index.add(size + i, hash));
const addMicros = ((performance.now() - start) * 1000) / adds;
const addedSeen = added.filter((hash, i) => index.query(hash)[0]?.id === size + i).length;
start = performance.now();
for (let i = 0; i < 100; i++) index.remove(size + i);
const removeMs = (performance.now() - start) / 100;
const removedGone = added.slice(0, 100).filter((hash) => index.query(hash).length === 0).length;
// hashes of the built bank (a remove goes only to the shard holding the id: shard-directory.ts)
const builtGone = [...plantedWords.keys()].slice(0, 100);
start = performance.now();
for (const row of builtGone) index.remove(row);
const removeBuiltMs = (performance.now() - start) / builtGone.length;
const builtRemovedGone = builtGone.filter((row) => !index.query(plantedWords.get(row)!, { radius: 0 }).some((m) => m.id === row)).length;

console.log(JSON.stringify({
  size,
  shards,
  shardSizes: index.shardSizes(),
  threads: `${shards} shard threads, ${cpus().length} cores; the querying thread waits for all`,
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  loadAverage: loadAverages,
  rowsPerKey,
  build: { wallSeconds: round(buildSeconds, 1), cpuSecondsAllThreads: round(buildCpuSeconds, 1), generateSeconds: round(generateSeconds, 1), concurrency },
  bytesPerHash: round(index.byteLength() / size, 1),
  rssBytesPerHash: round(rssGrowth / size, 1),
  peakRssGiB: round(peakRss / 2 ** 30, 2),
  radius: RADIUS,
  queries: 'medians of 3 interleaved rounds (range); wall time of the querying thread, CPU of every thread',
  random: overRounds((r) => r.random),
  nearDuplicate: overRounds((r) => r.planted),
  exhaustiveBaseline: { ...overRounds((r) => r.scan), queries: scanQueries.length },
  scanOverMultiIndexP50: round(overRounds((r) => r.scan).p50Ms.median / overRounds((r) => r.random).p50Ms.median, 1),
  recall: {
    plantedQueries: planted.length,
    plantedFoundAtExactDistance: plantedFound,
    exhaustiveAgreesOf: `${scanAgrees}/${scanQueries.length}`,
    sameAnswersInEveryRound: `${roundsAgree}/${rounds.length * planted.length}`,
    oracle: 'every hash regenerated from the seed, bits counted in plain JavaScript (written in this file)',
    oracleQueries: oracleSet.length,
    oracleExpectedMatches: oracleExpected,
    oracleFoundMatches: oracleFound,
    oracleIdenticalAnswers: oracleIdentical,
    oracleSeconds: round(oracleSeconds, 1),
  },
  liveUpdates: { addMicros: round(addMicros, 1), addedMatchableAtOnce: `${addedSeen}/${adds}`, removeMs: round(removeMs, 3), removedGoneAtOnce: `${removedGone}/100`, removeBuiltMs: round(removeBuiltMs, 3), builtRemovedGoneAtOnce: `${builtRemovedGone}/${builtGone.length}` },
}, null, 2));
await index.close();
