/**
 * npm run bench:intake — removal requests per second through POST /v1/requests (validation, encryption,
 * case + items + audit events + jobs in one transaction) on the embedded PGlite and on PostgreSQL, against a
 * bare Fastify route that parses the same JSON body and returns 201, measured in the same run with the same
 * client. Server and client share this process (and the machine's cores), for every target alike.
 *
 * Options: --seconds N (measuring time per target, default 5), --concurrency N (default 32).
 * PostgreSQL: TAKEDOWN_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres (a fresh database is
 * created and dropped).
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp, loadConfig, deriveKeys, migrate, openDatabase, type OpenDatabase } from '@takedown/server';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { requestBody } from '@takedown/testing/requests';
import { percentile, round } from './stats.ts';
import { wholeNumberOption } from './options.ts';

const seconds = wholeNumberOption('seconds', 5);
const concurrency = wholeNumberOption('concurrency', 32);
const warmupMs = 1_000;

function post(agent: Agent, port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: '127.0.0.1', port, method: 'POST', path: '/v1/requests', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `concurrency` clients in a closed loop for warm-up + `seconds`; counts the 201s answered after warm-up. */
async function load(app: FastifyInstance): Promise<{ requestsPerSecond: number; created: number; errors: number; p50Ms: number; p99Ms: number }> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  // Distinct bodies (contacts and hashes), as real requests are; prepared up front so the client stays cheap.
  const bodies = Array.from({ length: 512 }, (_, i) =>
    JSON.stringify(requestBody({ contact: { email: `bench-${i}-${randomBytes(4).toString('hex')}@example.org` } })),
  );
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + seconds * 1000;
  let created = 0;
  let errors = 0;
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        const status = await post(agent, port, bodies[next++ % bodies.length]).catch(() => 0);
        const done = performance.now();
        // Answers that arrive inside the window count (the closed loop keeps the window full of requests).
        if (done >= measureFrom && done <= end) {
          if (status === 201) {
            created += 1;
            latencies.push(done - sent);
          } else errors += 1;
        }
      }
    }),
  );
  agent.destroy();
  await app.close();
  return { requestsPerSecond: Math.round(created / seconds), created, errors, p50Ms: round(percentile(latencies, 50), 1), p99Ms: round(percentile(latencies, 99), 1) };
}

function bareApp(): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  app.post('/v1/requests', async (_request, reply) => reply.code(201).send({ ok: true }));
  return app;
}

async function takedownApp(database: OpenDatabase, dataDir: string): Promise<FastifyInstance> {
  const config = loadConfig({}, { dataDir, logLevel: 'silent', intakeRateLimit: { max: 1_000_000_000, windowMs: 60_000 } });
  return buildApp(config, { database, keys: deriveKeys(randomBytes(32)) });
}

const dataDir = mkdtempSync(join(tmpdir(), 'takedown-bench-'));
try {
  const bare = await load(bareApp());

  const pglite = await openDatabase({ dataDir });
  await migrate(pglite);
  const onPglite = await load(await takedownApp(pglite, dataDir));
  await pglite.close();

  const created = await createPostgresDatabase();
  let onPostgres;
  try {
    const postgres = await openDatabase({ databaseUrl: created.url, dataDir, maxConnections: 10 });
    await migrate(postgres);
    onPostgres = await load(await takedownApp(postgres, dataDir));
    await postgres.close();
  } finally {
    await created.drop();
  }

  const ratio = (r: { requestsPerSecond: number }) => Math.round((r.requestsPerSecond / bare.requestsPerSecond) * 10_000) / 10_000;
  console.log(
    JSON.stringify(
      {
        benchmark: 'intake',
        endpoint: 'POST /v1/requests',
        seconds,
        concurrency,
        cores: availableParallelism(),
        node: process.version,
        bareFastify201: bare,
        pglite: { ...onPglite, ratioToBare: ratio(onPglite) },
        postgres: { ...onPostgres, ratioToBare: ratio(onPostgres) },
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
