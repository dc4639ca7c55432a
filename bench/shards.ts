/**
 * npm run bench:shards — a content index too big for one process, split over shard services behind NATS
 * request/reply (NATS at 127.0.0.1:4222, or NATS_URL), against the same index in one process.
 *
 * Three ways to answer the same radius-31 PDQ lookups over N hashes (default 2 000 000, --size N):
 *   inProcess    one MatchIndex of N in this process (no network: the floor),
 *   oneShard     one shard process holding all N, asked over NATS (the same-run baseline: same transport),
 *   twoShards    two shard processes holding N/2 each; each lookup is sent once to both (scatter) and the two
 *                replies are merged (gather).
 * For each: latency of lookups one at a time (p50, p99) and lookups per second over --seconds (default 3) with
 * --inflight (default 16) in flight; --runs (default 3) interleaved runs, printed as median and range. Every lookup's answer from the
 * shards is compared with the in-process answer (queries include planted copies 5–31 bits away), and each
 * shard process's resident memory is read from /proc.
 *
 * What it proves: the split loses no match (same answers), what the hop over NATS and the gather cost, and
 * that each shard holds half the memory. What it does not: more throughput — on this 2-core machine both
 * shards, NATS and the load share the same cores; the gain in capacity comes from putting shards on other
 * machines, which this run cannot measure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { connect, RequestStrategy, type NatsConnection } from 'nats';
import { MatchIndex, type Match } from '@takedown/match';
import { percentile, round } from './stats.ts';
import { nearCopy, syntheticHash, syntheticHashes } from './shards/synthetic-hashes.ts';

const SHARD = new URL('./shards/shard.ts', import.meta.url).pathname;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

interface ShardProcess {
  child: ChildProcess;
  rssBytes(): number;
}

async function startShard(natsUrl: string, subject: string, first: number, count: number): Promise<ShardProcess> {
  const child = spawn(process.execPath, [SHARD, natsUrl, subject, String(first), String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`shard ${first} exited with ${code} before it was ready`)));
    lines.once('line', () => resolve());
  });
  const rssBytes = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024;
  return { child, rssBytes };
}

async function stopShard(shard: ShardProcess): Promise<void> {
  if (shard.child.exitCode !== null) return;
  const exited = new Promise((resolve) => shard.child.once('exit', resolve));
  shard.child.kill('SIGTERM');
  await exited;
}

/** Asks every shard listening on `subject` and merges their matches (nearest first, ties by id). */
async function scatterGather(nats: NatsConnection, subject: string, shards: number, query: Uint32Array): Promise<Match[]> {
  const replies = await nats.requestMany(subject, new Uint8Array(query.buffer, query.byteOffset, 32), { strategy: RequestStrategy.Count, maxMessages: shards, maxWait: 5_000 });
  const matches: Match[] = [];
  let answered = 0;
  for await (const reply of replies) {
    matches.push(...(JSON.parse(new TextDecoder().decode(reply.data)) as { matches: Match[] }).matches);
    answered += 1;
  }
  if (answered !== shards) throw new Error(`${answered} of ${shards} shards answered within 5 s`);
  return matches.sort((a, b) => a.distance - b.distance || a.id - b.id);
}

type Lookup = (query: Uint32Array) => Promise<Match[]> | Match[];

/** Latency of each query one at a time, then lookups per second over `seconds` with `inflight` lookups at once. */
async function measure(lookup: Lookup, queries: Uint32Array[], inflight: number, seconds: number): Promise<{ p50Ms: number; p99Ms: number; lookupsPerSecond: number }> {
  const times: number[] = [];
  for (const query of queries) {
    const start = performance.now();
    await lookup(query);
    times.push(performance.now() - start);
  }
  let done = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (performance.now() < end) await lookup(queries[done++ % queries.length]);
    }),
  );
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), lookupsPerSecond: done / ((performance.now() - start) / 1000) };
}

const summary = (values: number[]) => ({ median: round(percentile(values, 50)), min: round(Math.min(...values)), max: round(Math.max(...values)) });

async function main(): Promise<void> {
  const size = argument('size', 2_000_000);
  const queryCount = argument('queries', 2_000);
  const inflight = argument('inflight', 16);
  const runs = argument('runs', 3);
  const seconds = argument('seconds', 3);
  const natsUrl = process.env.NATS_URL ?? '127.0.0.1:4222';
  let nats: NatsConnection;
  try {
    nats = await connect({ servers: natsUrl });
  } catch (error) {
    throw new Error(`bench:shards needs NATS at ${natsUrl} (set NATS_URL): ${(error as Error).message}`, { cause: error });
  }
  const run = `takedown.bench.${process.pid}`;
  const half = Math.floor(size / 2);

  const buildStart = performance.now();
  const { ids, words } = syntheticHashes(1, size);
  const local = MatchIndex.build(ids, words);
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const [single, ...pair] = await Promise.all([startShard(natsUrl, `${run}.one`, 1, size), startShard(natsUrl, `${run}.two`, 1, half), startShard(natsUrl, `${run}.two`, 1 + half, size - half)]);
  const shards = [single, ...pair];

  // Half random hashes (no match: what nearly all uploads are), half planted copies 5–31 bits from a known
  // hash anywhere in the index, so both shards answer with matches.
  const queries = Array.from({ length: queryCount }, (_, i) => (i % 2 === 0 ? syntheticHash(size + 1_000_000 + i) : nearCopy(1 + ((i * 7_919) % size), 5 + (i % 27))));
  const ways: Record<string, Lookup> = {
    inProcess: (query) => local.query(query, { radius: 31 }),
    oneShard: (query) => scatterGather(nats, `${run}.one`, 1, query),
    twoShards: (query) => scatterGather(nats, `${run}.two`, 2, query),
  };

  // The same answers every way (the in-process index is the oracle).
  let compared = 0;
  let planted = 0;
  for (const query of queries) {
    const expected = JSON.stringify(local.query(query, { radius: 31 }));
    for (const way of ['oneShard', 'twoShards']) {
      const got = JSON.stringify(await ways[way](query));
      if (got !== expected) throw new Error(`${way} answered ${got} where the whole index answers ${expected}`);
    }
    compared += 1;
    if (expected !== '[]') planted += 1;
  }

  const results: Record<string, { p50Ms: number; p99Ms: number; lookupsPerSecond: number }[]> = { inProcess: [], oneShard: [], twoShards: [] };
  for (let r = 0; r < runs; r++) for (const way of Object.keys(ways)) results[way].push(await measure(ways[way], queries, inflight, seconds));
  const rss = shards.map((s) => s.rssBytes());

  await Promise.all(shards.map(stopShard));
  await nats.drain();

  const report = (way: string) => ({
    p50Ms: summary(results[way].map((r) => r.p50Ms)),
    p99Ms: summary(results[way].map((r) => r.p99Ms)),
    lookupsPerSecond: summary(results[way].map((r) => r.lookupsPerSecond)),
  });
  const ratio = (way: string, of: string) => results[way].map((r, i) => r.lookupsPerSecond / results[of][i].lookupsPerSecond);
  console.log(
    JSON.stringify(
      {
        bench: 'shards',
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        hashes: size,
        inProcessBuildSeconds: round(buildSeconds),
        queries: queryCount,
        withMatches: planted,
        answersIdenticalToOneIndex: compared,
        inflight,
        secondsPerThroughputRun: seconds,
        runs,
        inProcess: report('inProcess'),
        oneShard: report('oneShard'),
        twoShards: report('twoShards'),
        // same-run baseline: one shard process holding everything, over the same NATS
        twoShardsToOneShardThroughput: summary(ratio('twoShards', 'oneShard')),
        p50MsAddedByTheSecondShard: summary(results.twoShards.map((r, i) => r.p50Ms - results.oneShard[i].p50Ms)),
        residentMemoryMB: { oneShardAll: round(rss[0] / 1e6, 1), twoShardsEach: rss.slice(1).map((b) => round(b / 1e6, 1)) },
      },
      null,
      2,
    ),
  );
}

await main();
