/**
 * npm run bench:replicas — how far one machine goes: upload checks per second on one `takedown serve` process
 * against two replicas of it on the same PostgreSQL, and each replica's memory with N PDQ hashes in its index.
 *
 * A fresh PostgreSQL database (127.0.0.1:5432, or TAKEDOWN_TEST_POSTGRES_URL) gets N random hashes (default
 * 1 000 000, --size N) in the confirmed bank; two replicas start on it (each loads the whole index: its own
 * copy in memory). Load: autocannon in this process, random hashes (no match, as nearly all uploads are),
 * --connections (default 16) for --seconds (default 5) per phase:
 *   oneProcess    every connection to replica 1 (replica 2 idle): the same-run baseline;
 *   twoProcesses  half the connections to each replica (a load balancer's split, without a proxy's cost).
 * --runs (default 3) interleaved runs, printed as median and range. The load generator shares the cores with
 * the replicas and PostgreSQL, as anything on this machine would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { systemClock } from '@takedown/core';
import { addPlatformKey, openDatabase } from '@takedown/server';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { freePort, startServer, stopServer, type ServerProcess } from '@takedown/testing/server-process';
import { percentile, round } from './stats.ts';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const rssMB = (server: ServerProcess) => round((Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) * 1024) / 1e6, 1);
const summary = (values: number[]) => ({ median: round(percentile(values, 50)), min: round(Math.min(...values)), max: round(Math.max(...values)) });

/** Checks of random hashes against `url` with `connections` for `seconds`. */
async function checkLoad(url: string, token: string, connections: number, seconds: number): Promise<{ requests: number; non2xx: number; p50Ms: number; p99Ms: number; seconds: number }> {
  const result = await autocannon({
    url: `${url}/v1/check`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ pdq: randomBytes(32).toString('hex'), pdqQuality: 90 }) }) }],
  });
  return { requests: result.requests.total, non2xx: result.non2xx, p50Ms: result.latency.p50, p99Ms: result.latency.p99, seconds: result.duration };
}

async function main(): Promise<void> {
  const size = argument('size', 1_000_000);
  const connections = argument('connections', 16);
  const seconds = argument('seconds', 5);
  const runs = argument('runs', 3);
  const created = await createPostgresDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'takedown-bench-replicas-'));
  const env = { ...process.env, DATABASE_URL: created.url, TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'), TAKEDOWN_DATA_DIR: dataDir, TAKEDOWN_LOG_LEVEL: 'silent' };
  const replicas: ServerProcess[] = [];
  try {
    // An empty index first: what a replica takes before any hash.
    const empty = await startServer(env, await freePort());
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const emptyRss = rssMB(empty);
    await stopServer(empty);

    const client = new pg.Client({ connectionString: created.url });
    await client.connect();
    const insertStart = performance.now();
    const bank = await client.query<{ id: string }>(`select id from banks where kind = 'confirmed'`);
    await client.query(`insert into bank_hashes (bank_id, signal, hash, added_at) select $1, 'pdq', md5(random()::text) || md5(i::text), now() from generate_series(1, $2::integer) i`, [bank.rows[0].id, size]);
    const insertSeconds = (performance.now() - insertStart) / 1000;
    await client.end();
    const database = await openDatabase({ databaseUrl: created.url, dataDir });
    const { token } = await addPlatformKey(database, systemClock, { name: 'bench', scopes: ['check'] }, 'bench');
    await database.close();

    // Both replicas load the whole index at start (it is ready when /healthz answers).
    const loadStart = performance.now();
    replicas.push(...(await Promise.all([freePort(), freePort()].map(async (port) => startServer(env, await port, ['--no-demo'], 600_000)))));
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const loadedRss = replicas.map(rssMB);

    const one: Awaited<ReturnType<typeof checkLoad>>[] = [];
    const two: Awaited<ReturnType<typeof checkLoad>>[][] = [];
    await checkLoad(replicas[0].baseUrl, token, connections, 1);
    await checkLoad(replicas[1].baseUrl, token, connections, 1);
    for (let r = 0; r < runs; r++) {
      one.push(await checkLoad(replicas[0].baseUrl, token, connections, seconds));
      two.push(await Promise.all(replicas.map((replica) => checkLoad(replica.baseUrl, token, connections / 2, seconds))));
    }
    const oneRate = one.map((r) => r.requests / r.seconds);
    const twoRate = two.map((pair) => pair.reduce((sum, r) => sum + r.requests / r.seconds, 0));
    const rssAfterLoad = replicas.map(rssMB);
    console.log(
      JSON.stringify(
        {
          bench: 'replicas',
          cpu: cpus()[0]?.model,
          cores: cpus().length,
          indexHashes: size,
          insertSeconds: round(insertSeconds),
          twoReplicasStartAndLoadSeconds: round(loadSeconds),
          connections,
          secondsPerPhase: seconds,
          runs,
          oneProcess: { checksPerSecond: summary(oneRate), p50Ms: summary(one.map((r) => r.p50Ms)), p99Ms: summary(one.map((r) => r.p99Ms)), non2xx: one.reduce((n, r) => n + r.non2xx, 0) },
          twoProcesses: {
            checksPerSecond: summary(twoRate),
            p50Ms: summary(two.flatMap((pair) => pair.map((r) => r.p50Ms))),
            p99Ms: summary(two.flatMap((pair) => pair.map((r) => r.p99Ms))),
            non2xx: two.flat().reduce((n, r) => n + r.non2xx, 0),
          },
          // same-run baseline: one process
          twoToOneRatio: summary(twoRate.map((rate, i) => rate / oneRate[i])),
          residentMemoryMB: { emptyIndex: emptyRss, perReplicaLoaded: loadedRss, perReplicaAfterLoad: rssAfterLoad },
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(replicas.map((replica) => stopServer(replica)));
    await created.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
