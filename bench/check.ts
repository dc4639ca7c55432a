/**
 * npm run bench:check — upload checks per second against a bank of 1 M PDQ hashes, and the same load on a bare
 * Fastify route in the same run (ratio goal ≥ 0.5, p99 goal < 20 ms, no answer other than 2xx: the exit code
 * is 1 if there was one), medians of 3 interleaved runs (each route warmed first, the order turned each round,
 * a full garbage collection before each phase), and on that bare route plus the index
 * lookup alone (the bound on any check over this index), and on the same app over an index kept in the
 * server's thread (the check as it was before decision 034, for an old-against-new ratio in the same run);
 * then images per second when the platform sends 1-megapixel JPEG bytes instead of hashes. Each phase also
 * gives CPU time per request: the server's thread, the load's, and the other threads (the index's).
 *
 * The bank is served as the index follower serves one of its size at start (`TAKEDOWN_MATCH_SHARD_ABOVE`):
 * from 2^18 hashes in a shard thread, whose lookups the check asks without blocking.
 *
 * The server (the real app: auth, schema, verdict, and logging at the production default level, one
 * completion line per check (with the request line's fields and the verdict) written to standard output as `takedown serve` writes them; the
 * bare routes log nothing) runs on the main thread; the load comes from a worker thread over keep-alive HTTP
 * connections, so both get a core of their own. The report (JSON) goes to standard error, so the server's
 * log can go where a deployment sends it: `npm run bench:check > /tmp/check-server.log`.
 * Options: --size N (hashes, default 1 000 000), --seconds S (per phase, default 5), --connections C (default 8).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import Fastify from 'fastify';
import sharp from 'sharp';
import { pdqSignal, signalTypes, systemClock } from '@takedown/core';
import { median, percentile, round } from './stats.ts';
import { addPlatformKey, buildApp, DEFAULT_PLATFORM_CONFIG, deriveKeys, loadConfig, migrate, openDatabase, PlatformRuntime, ShardedPdqMatcher } from '@takedown/server';

interface LoadJob {
  url: string;
  headers: Record<string, string>;
  bodies: string[] | Uint8Array[];
  seconds: number;
  connections: number;
  warmupSeconds: number;
}

interface LoadResult {
  requests: number;
  /** Every request sent, the warm-up's too; the load thread's CPU while it sent them, and over its whole life (µs). */
  sent: number;
  loadThreadCpuUs: number;
  loadThreadLifeCpuUs: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

/** Runs in the worker thread: `connections` loops sending requests back to back for `seconds`. */
async function generateLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const target = new URL(job.url);
  const send = (body: string | Uint8Array) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...job.headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  const latencies: number[] = [];
  let sent = 0;
  let non2xx = 0;
  let next = 0;
  const start = performance.now();
  const warmEnd = start + job.warmupSeconds * 1000;
  const end = warmEnd + job.seconds * 1000;
  let measuredStart = 0;
  const cpuStart = process.threadCpuUsage();
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < end) {
        const body = job.bodies[next++ % job.bodies.length];
        const t0 = performance.now();
        const status = await send(body);
        const t1 = performance.now();
        sent += 1;
        if (t0 >= warmEnd) {
          if (measuredStart === 0) measuredStart = t0;
          latencies.push(t1 - t0);
          if (status < 200 || status >= 300) non2xx += 1;
        }
      }
    }),
  );
  agent.destroy();
  const seconds = (performance.now() - warmEnd) / 1000;
  const cpu = process.threadCpuUsage(cpuStart);
  const life = process.threadCpuUsage();
  return { requests: latencies.length, sent, loadThreadCpuUs: cpu.user + cpu.system, loadThreadLifeCpuUs: life.user + life.system, seconds: round(seconds), perSecond: round(latencies.length / seconds, 0), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), non2xx };
}


function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

/** CPU time per request sent (µs): the server's thread, the load's, and every other thread (the index's). */
interface CpuPerRequest {
  serverThreadUs: number;
  loadThreadUs: number;
  otherThreadsUs: number;
}

type PhaseResult = LoadResult & { cpu: CpuPerRequest };

async function runLoad(job: LoadJob): Promise<PhaseResult> {
  const server0 = process.threadCpuUsage();
  const all0 = process.cpuUsage();
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const result = await new Promise<LoadResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // the thread's CPU is counted until it has gone
  await exited;
  const server = process.threadCpuUsage(server0);
  const all = process.cpuUsage(all0);
  const serverUs = server.user + server.system;
  // the load thread's start (its imports) is neither the server's work nor the index's
  const otherUs = all.user + all.system - serverUs - result.loadThreadLifeCpuUs;
  const per = (us: number) => round(us / Math.max(1, result.sent), 1);
  return { ...result, cpu: { serverThreadUs: per(serverUs), loadThreadUs: per(result.loadThreadCpuUs), otherThreadsUs: per(otherUs) } };
}

/** A full garbage collection on this thread (the server's), when node runs with --expose-gc as `npm run bench:check` does. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function randomPdq(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Fills a runtime's bank index with `hashes` (one imported bank), served as the index follower serves a
 * bank of that size at start: in worker threads (a `ShardedPdqMatcher`, built after the rows are read) from
 * `matchShards.aboveHashes` hashes, else in this thread. Returns the sharded matcher, to close at the end.
 */
async function fillBank(runtime: PlatformRuntime, hashes: string[]): Promise<ShardedPdqMatcher | undefined> {
  const shards = runtime.config.matchShards;
  const sharded = shards.aboveHashes > 0 && hashes.length >= shards.aboveHashes ? new ShardedPdqMatcher(shards.shardRows) : undefined;
  if (sharded) runtime.banks.serveWith(pdqSignal.name, pdqSignal.createIndex({ hashMatcher: sharded }));
  runtime.banks.applyBank({ id: 'bench-bank', name: 'partner', kind: 'imported', enabled: true, thresholds: signalTypes.defaultThresholds() });
  const batch = 100_000;
  for (let first = 0; first < hashes.length; first += batch) {
    const rows = hashes.slice(first, first + batch).map((hash, i) => ({ id: 1_000_000_000 + first + i, bankId: 'bench-bank', signal: 'pdq', value: { hash }, itemId: null }));
    runtime.banks.load(rows);
  }
  runtime.banks.compact();
  await sharded?.build();
  return sharded;
}

async function main(): Promise<void> {
  const size = argument('size', 1_000_000);
  const seconds = argument('seconds', 5);
  const connections = argument('connections', 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'takedown-bench-check-'));
  const secret = randomBytes(32);
  // no logLevel: the production default (loadConfig's, "info" unless TAKEDOWN_LOG_LEVEL says otherwise)
  const config = loadConfig({}, { dataDir, secretKey: secret.toString('base64'), bodyLimitBytes: 256 * 1024 });
  const database = await openDatabase(config);
  await migrate(database);
  const runtime = new PlatformRuntime(database, { ...DEFAULT_PLATFORM_CONFIG, indexSyncMs: 1_000 });
  const app = await buildApp(config, { database, keys: deriveKeys(secret), clock: systemClock, platform: runtime });
  // The same app over an index kept in its own thread (never sharded, as every bank below the threshold was
  // before): the check as it was, measured in the same run for an old-against-new comparison.
  const inThreadRuntime = new PlatformRuntime(database, { ...DEFAULT_PLATFORM_CONFIG, indexSyncMs: 1_000, matchShards: { ...DEFAULT_PLATFORM_CONFIG.matchShards, aboveHashes: 0 } });
  const inThreadApp = await buildApp(config, { database, keys: deriveKeys(secret), clock: systemClock, platform: inThreadRuntime });
  const { token } = await addPlatformKey(database, systemClock, { name: 'bench' }, 'bench');

  // 1 M hashes straight into the in-memory bank index (writing them through PGlite would only time the
  // import, not the check): an imported bank, as a partner's list would be.
  const hashes = Array.from({ length: size }, randomPdq);
  const buildStart = performance.now();
  const sharded = await fillBank(runtime, hashes);
  const indexThreads = sharded ? `${sharded.shardCount} shard thread(s): the check's lookups are answered there without blocking the server's thread` : "the server's thread";
  const buildSeconds = (performance.now() - buildStart) / 1000;
  await fillBank(inThreadRuntime, hashes);
  hashes.length = 0;
  // The index's share of a check, measured alone: radius-31 lookups of random hashes, answered before the
  // next is asked (through a blocking wait when the index is in worker threads).
  const lookupMs: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const hash = randomPdq();
    const t0 = performance.now();
    runtime.banks.lookup({ pdq: { hash } });
    lookupMs.push(performance.now() - t0);
  }

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const inThreadAddress = await inThreadApp.listen({ host: '127.0.0.1', port: 0 });
  const bare = Fastify({ logger: false });
  bare.post('/check', async () => ({ verdict: 'allow', matches: [] }));
  // The same bare route plus the index lookup, as the check asks it, and nothing else (no key, no verdict,
  // no schema): the best any upload check over this index can do, so its ratio bounds the real route's.
  bare.post('/lookup', async (request) => ({ verdict: 'allow', matches: await runtime.banks.lookupAsync({ pdq: { hash: (request.body as { pdq: string }).pdq } }) }));
  const bareAddress = await bare.listen({ host: '127.0.0.1', port: 0 });

  // Random uploads: what nearly all real traffic looks like (no match → no database write).
  const bodies = Array.from({ length: 20_000 }, () => JSON.stringify({ pdq: randomPdq(), pdqQuality: 90 }));
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const job = { headers, bodies, seconds, connections, warmupSeconds: 1 };
  const phases = { baseline: `${bareAddress}/check`, lookupOnly: `${bareAddress}/lookup`, check: `${address}/v1/check`, checkInThread: `${inThreadAddress}/v1/check` } as const;
  type Phase = keyof typeof phases;
  const order: Phase[] = ['baseline', 'lookupOnly', 'check', 'checkInThread'];
  // Each route once, unmeasured, so that none is the first to be compiled and warmed.
  let warmupNon2xx = 0;
  for (const phase of order) warmupNon2xx += (await runLoad({ ...job, url: phases[phase], seconds: 1 })).non2xx;
  // Interleaved three times, the order turned by one each round (bare, lookup, check; lookup, check, bare; …),
  // so no route always follows the same one, and with a full collection before each phase, so no phase pays
  // for the garbage of the one before; each figure is the median of its three runs.
  const runs: Record<Phase, PhaseResult>[] = [];
  for (let round = 0; round < 3; round++) {
    const results: Partial<Record<Phase, PhaseResult>> = {};
    for (const phase of [...order.slice(round), ...order.slice(0, round)]) {
      collectGarbage();
      results[phase] = await runLoad({ ...job, url: phases[phase] });
    }
    runs.push(results as Record<Phase, PhaseResult>);
  }
  const medianOf = (results: PhaseResult[]) => ({
    requests: median(results.map((r) => r.requests)),
    seconds: median(results.map((r) => r.seconds)),
    perSecond: median(results.map((r) => r.perSecond)),
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0), // every answer that was not a 2xx, in all runs
    cpuPerRequestUs: {
      serverThread: median(results.map((r) => r.cpu.serverThreadUs)),
      loadThread: median(results.map((r) => r.cpu.loadThreadUs)),
      otherThreads: median(results.map((r) => r.cpu.otherThreadsUs)),
    },
  });
  const baseline = medianOf(runs.map((r) => r.baseline));
  const lookupOnly = medianOf(runs.map((r) => r.lookupOnly));
  const check = medianOf(runs.map((r) => r.check));
  const checkInThread = medianOf(runs.map((r) => r.checkInThread));

  // Image bytes: 1-megapixel JPEGs hashed by the server (decode, PDQ with 8 dihedral variants, MD5, SHA-256).
  const images: Uint8Array[] = [];
  const boundary = '----takedownbench';
  for (let i = 0; i < 8; i++) {
    const raw = randomBytes(16 * 16 * 3);
    const jpeg = await sharp(raw, { raw: { width: 16, height: 16, channels: 3 } }).resize(1000, 1000, { kernel: 'cubic' }).jpeg({ quality: 85 }).toBuffer();
    images.push(Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="u.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), jpeg, Buffer.from(`\r\n--${boundary}--\r\n`)]));
  }
  const imageLoad = await runLoad({ url: `${address}/v1/check`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` }, bodies: images, seconds, connections: 2, warmupSeconds: 1 });

  await app.close();
  await inThreadApp.close();
  await sharded?.close();
  await bare.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });

  // each run's check and bare route ran back to back under the same load: the ratio is the median of the
  // runs' ratios (throughput itself swings between runs on a shared machine)
  const ratio = median(runs.map((r) => r.check.perSecond / r.baseline.perSecond));
  const lookupRatio = median(runs.map((r) => r.lookupOnly.perSecond / r.baseline.perSecond));
  const inThreadRatio = median(runs.map((r) => r.checkInThread.perSecond / r.baseline.perSecond));
  const allNon2xx = check.non2xx + checkInThread.non2xx + baseline.non2xx + lookupOnly.non2xx + warmupNon2xx;
  console.error(
    JSON.stringify(
      {
        bench: 'check',
        serverLogLevel: config.logLevel,
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        indexHashes: size,
        indexThreads,
        indexBuildSeconds: round(buildSeconds),
        indexLookupRadius31: { p50Ms: round(percentile(lookupMs, 50)), p99Ms: round(percentile(lookupMs, 99)) },
        connections,
        secondsPerPhase: seconds,
        hashesInBody: { requestsPerSecond: check.perSecond, p50Ms: check.p50Ms, p99Ms: check.p99Ms, requests: check.requests, non2xx: check.non2xx, cpuPerRequestUs: check.cpuPerRequestUs },
        bareFastifyRoute: { requestsPerSecond: baseline.perSecond, p50Ms: baseline.p50Ms, p99Ms: baseline.p99Ms, requests: baseline.requests, non2xx: baseline.non2xx, cpuPerRequestUs: baseline.cpuPerRequestUs },
        ratioToBareRoute: round(ratio), // the median of the 3 runs' ratios
        bareRoutePlusLookupOnly: { requestsPerSecond: lookupOnly.perSecond, p50Ms: lookupOnly.p50Ms, p99Ms: lookupOnly.p99Ms, ratioToBareRoute: round(lookupRatio), non2xx: lookupOnly.non2xx, cpuPerRequestUs: lookupOnly.cpuPerRequestUs },
        // the same app over an index in the server's thread (the check before its lookups left that thread)
        checkIndexInServerThread: { requestsPerSecond: checkInThread.perSecond, p50Ms: checkInThread.p50Ms, p99Ms: checkInThread.p99Ms, ratioToBareRoute: round(inThreadRatio), non2xx: checkInThread.non2xx, cpuPerRequestUs: checkInThread.cpuPerRequestUs },
        cpuPerRequest: 'CPU time per request sent (µs, medians of the runs): the server\'s thread, the load\'s, and every other thread (the index\'s shard thread)',
        medians: 'of 3 interleaved runs (order turned each round, a full GC before each phase, an unmeasured warm-up of each route first); non2xx counts every run',
        warmupNon2xx,
        gcBetweenPhases: typeof (globalThis as { gc?: () => void }).gc === 'function',
        allRuns: runs.map((r) => ({ bareRequestsPerSecond: r.baseline.perSecond, lookupOnlyRequestsPerSecond: r.lookupOnly.perSecond, checkRequestsPerSecond: r.check.perSecond, ratio: round(r.check.perSecond / r.baseline.perSecond), checkP99Ms: r.check.p99Ms, checkInThreadRequestsPerSecond: r.checkInThread.perSecond, inThreadRatio: round(r.checkInThread.perSecond / r.baseline.perSecond) })),
        // the lookup-only route bounds what any check over this index can reach
        goals: { ratioAtLeast: 0.5, p99BelowMs: 20, non2xxMustBe: 0, ratioMet: ratio >= 0.5, p99Met: check.p99Ms < 20, non2xxMet: allNon2xx === 0, ratioBoundByLookup: round(lookupRatio) },
        imageBytes1MpJpeg: { imagesPerSecond: imageLoad.perSecond, p50Ms: imageLoad.p50Ms, p99Ms: imageLoad.p99Ms, images: imageLoad.requests, non2xx: imageLoad.non2xx, connections: 2 },
      },
      null,
      2,
    ),
  );
  // an answer that was not a 2xx means the figures measured something else than checks: say so in the exit code
  if (allNon2xx + imageLoad.non2xx > 0) process.exitCode = 1;
}

if (isMainThread) {
  await main();
} else {
  parentPort!.postMessage(await generateLoad(workerData as LoadJob));
}
