/**
 * npm run bench:check — upload checks per second against a bank of 1 M PDQ hashes, and the same load on a bare
 * Fastify route in the same run (ratio goal ≥ 0.5, p99 goal < 20 ms, no answer other than 2xx: the exit code
 * is 1 if there was one), medians of 3 interleaved runs (each route warmed first, the order turned each round,
 * a full garbage collection before each phase), and on that bare route plus the index
 * lookup alone (the bound on any check over this index); then images per second when the
 * platform sends 1-megapixel JPEG bytes instead of hashes.
 *
 * The server (the real app: auth, schema, verdict, and logging at the production default level, a request
 * line and a completion line per request written to standard output as `takedown serve` writes them; the
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
import { signalTypes, systemClock } from '@takedown/core';
import { median, percentile, round } from './stats.ts';
import { addPlatformKey, buildApp, DEFAULT_PLATFORM_CONFIG, deriveKeys, loadConfig, migrate, openDatabase, PlatformRuntime } from '@takedown/server';

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
  let non2xx = 0;
  let next = 0;
  const start = performance.now();
  const warmEnd = start + job.warmupSeconds * 1000;
  const end = warmEnd + job.seconds * 1000;
  let measuredStart = 0;
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < end) {
        const body = job.bodies[next++ % job.bodies.length];
        const t0 = performance.now();
        const status = await send(body);
        const t1 = performance.now();
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
  return { requests: latencies.length, seconds: round(seconds), perSecond: round(latencies.length / seconds, 0), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), non2xx };
}


function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** A full garbage collection on this thread (the server's), when node runs with --expose-gc as `npm run bench:check` does. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function randomPdq(): string {
  return randomBytes(32).toString('hex');
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
  const { token } = await addPlatformKey(database, systemClock, { name: 'bench' }, 'bench');

  // 1 M hashes straight into the in-memory bank index (writing them through PGlite would only time the
  // import, not the check): an imported bank, as a partner's list would be.
  const buildStart = performance.now();
  runtime.banks.applyBank({ id: 'bench-bank', name: 'partner', kind: 'imported', enabled: true, thresholds: signalTypes.defaultThresholds() });
  const batch = 100_000;
  for (let first = 0; first < size; first += batch) {
    const rows = Array.from({ length: Math.min(batch, size - first) }, (_, i) => ({ id: 1_000_000_000 + first + i, bankId: 'bench-bank', signal: 'pdq', value: { hash: randomPdq() }, itemId: null }));
    runtime.banks.load(rows);
  }
  runtime.banks.compact();
  const buildSeconds = (performance.now() - buildStart) / 1000;
  // The index's share of a check, measured alone: radius-31 lookups of random hashes, in process.
  const lookupMs: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const hash = randomPdq();
    const t0 = performance.now();
    runtime.banks.lookup({ pdq: { hash } });
    lookupMs.push(performance.now() - t0);
  }

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const bare = Fastify({ logger: false });
  bare.post('/check', async () => ({ verdict: 'allow', matches: [] }));
  // The same bare route plus the index lookup and nothing else (no key, no verdict, no schema): the best
  // any upload check over this index can do, so its ratio bounds the real route's.
  bare.post('/lookup', async (request) => ({ verdict: 'allow', matches: runtime.banks.lookup({ pdq: { hash: (request.body as { pdq: string }).pdq } }) }));
  const bareAddress = await bare.listen({ host: '127.0.0.1', port: 0 });

  // Random uploads: what nearly all real traffic looks like (no match → no database write).
  const bodies = Array.from({ length: 20_000 }, () => JSON.stringify({ pdq: randomPdq(), pdqQuality: 90 }));
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const job = { headers, bodies, seconds, connections, warmupSeconds: 1 };
  const phases = { baseline: `${bareAddress}/check`, lookupOnly: `${bareAddress}/lookup`, check: `${address}/v1/check` } as const;
  type Phase = keyof typeof phases;
  const order: Phase[] = ['baseline', 'lookupOnly', 'check'];
  // Each route once, unmeasured, so that none is the first to be compiled and warmed.
  let warmupNon2xx = 0;
  for (const phase of order) warmupNon2xx += (await runLoad({ ...job, url: phases[phase], seconds: 1 })).non2xx;
  // Interleaved three times, the order turned by one each round (bare, lookup, check; lookup, check, bare; …),
  // so no route always follows the same one, and with a full collection before each phase, so no phase pays
  // for the garbage of the one before; each figure is the median of its three runs.
  const runs: Record<Phase, LoadResult>[] = [];
  for (let round = 0; round < 3; round++) {
    const results: Partial<Record<Phase, LoadResult>> = {};
    for (const phase of [...order.slice(round), ...order.slice(0, round)]) {
      collectGarbage();
      results[phase] = await runLoad({ ...job, url: phases[phase] });
    }
    runs.push(results as Record<Phase, LoadResult>);
  }
  const medianOf = (results: LoadResult[]): LoadResult => ({
    requests: median(results.map((r) => r.requests)),
    seconds: median(results.map((r) => r.seconds)),
    perSecond: median(results.map((r) => r.perSecond)),
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0), // every answer that was not a 2xx, in all runs
  });
  const baseline = medianOf(runs.map((r) => r.baseline));
  const lookupOnly = medianOf(runs.map((r) => r.lookupOnly));
  const check = medianOf(runs.map((r) => r.check));

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
  await bare.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });

  // each run's check and bare route ran back to back under the same load: the ratio is the median of the
  // runs' ratios (throughput itself swings between runs on a shared machine)
  const ratio = median(runs.map((r) => r.check.perSecond / r.baseline.perSecond));
  const lookupRatio = median(runs.map((r) => r.lookupOnly.perSecond / r.baseline.perSecond));
  console.error(
    JSON.stringify(
      {
        bench: 'check',
        serverLogLevel: config.logLevel,
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        indexHashes: size,
        indexBuildSeconds: round(buildSeconds),
        indexLookupRadius31: { p50Ms: round(percentile(lookupMs, 50)), p99Ms: round(percentile(lookupMs, 99)) },
        connections,
        secondsPerPhase: seconds,
        hashesInBody: { requestsPerSecond: check.perSecond, p50Ms: check.p50Ms, p99Ms: check.p99Ms, requests: check.requests, non2xx: check.non2xx },
        bareFastifyRoute: { requestsPerSecond: baseline.perSecond, p50Ms: baseline.p50Ms, p99Ms: baseline.p99Ms, requests: baseline.requests, non2xx: baseline.non2xx },
        ratioToBareRoute: round(ratio), // the median of the 3 runs' ratios
        bareRoutePlusLookupOnly: { requestsPerSecond: lookupOnly.perSecond, p50Ms: lookupOnly.p50Ms, p99Ms: lookupOnly.p99Ms, ratioToBareRoute: round(lookupRatio), non2xx: lookupOnly.non2xx },
        medians: 'of 3 interleaved runs (order turned each round, a full GC before each phase, an unmeasured warm-up of each route first); non2xx counts every run',
        warmupNon2xx,
        gcBetweenPhases: typeof (globalThis as { gc?: () => void }).gc === 'function',
        allRuns: runs.map((r) => ({ bareRequestsPerSecond: r.baseline.perSecond, lookupOnlyRequestsPerSecond: r.lookupOnly.perSecond, checkRequestsPerSecond: r.check.perSecond, ratio: round(r.check.perSecond / r.baseline.perSecond), checkP99Ms: r.check.p99Ms })),
        // the lookup-only route bounds what any check over this index can reach
        goals: { ratioAtLeast: 0.5, p99BelowMs: 20, non2xxMustBe: 0, ratioMet: ratio >= 0.5, p99Met: check.p99Ms < 20, non2xxMet: check.non2xx + baseline.non2xx + lookupOnly.non2xx + warmupNon2xx === 0, ratioBoundByLookup: round(lookupRatio) },
        imageBytes1MpJpeg: { imagesPerSecond: imageLoad.perSecond, p50Ms: imageLoad.p50Ms, p99Ms: imageLoad.p99Ms, images: imageLoad.requests, non2xx: imageLoad.non2xx, connections: 2 },
      },
      null,
      2,
    ),
  );
  // an answer that was not a 2xx means the figures measured something else than checks: say so in the exit code
  if (check.non2xx + baseline.non2xx + lookupOnly.non2xx + imageLoad.non2xx + warmupNon2xx > 0) process.exitCode = 1;
}

if (isMainThread) {
  await main();
} else {
  parentPort!.postMessage(await generateLoad(workerData as LoadJob));
}
