/**
 * npm run bench:reliability — the server under the failures issue 15 describes, on PostgreSQL, each scenario
 * on a real `takedown serve` process and a fresh database:
 *
 * 1. crash: kill -9 of the server while 300 removal requests are in flight (after half have been answered);
 *    every request answered 201 must be in the database after the restart ("acknowledged but lost": 0).
 * 2. webhooks: three platforms checking uploads that go to review (each review is a check.review event to the
 *    platform): one endpoint refuses connections for the scenario's length (default 5 minutes), one accepts and
 *    never answers, one is healthy. Printed: the healthy platform's delivery delays (from the event's creation to
 *    its arrival), the escalation job's lateness over the same time (its own lane), and, once the two broken
 *    endpoints recover, the events never delivered ("lost": 0). Baseline, in the same run: the healthy
 *    platform's delays while it is the only one (the first 30 s, before the others break).
 * 3. hostile files: 1 000 files made to break decoding (decompression bombs, 50 MP PNGs, SVGs declaring 7000×7000,
 *    truncated and mislabelled files, random bytes) sent to POST /v1/check, 16 at a time: 5xx other than a 503
 *    with Retry-After must be 0, and the server's peak resident memory stays within the stated budget.
 * 4. mixed load: 8 clients for 2 minutes over intake, case status (at most one a second: the route's limit per
 *    address is 60 a minute), upload checks, content index writes and the health check: errors (5xx or no answer) must be 0; p99 per route; resident memory at the start and the end.
 *    Baseline: /healthz's own p99 in the same run.
 *
 * Options: --quick (webhooks 30 s, mixed load 20 s, 200 hostile files), --webhook-seconds N, --mixed-seconds N,
 * --hostile N, --only crash,webhooks,hostile,mixed. PostgreSQL from TAKEDOWN_TEST_POSTGRES_URL (as the tests).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import sharp from 'sharp';
import { migrate, openDatabase } from '@takedown/server';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { requestBody } from '@takedown/testing/requests';
import { CLI, freePort, startServer, stopServer, type ServerProcess } from '@takedown/testing/server-process';
import { percentile, round } from './stats.ts';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'webhook-seconds': { type: 'string' },
    'mixed-seconds': { type: 'string' },
    hostile: { type: 'string' },
    only: { type: 'string' },
  },
});
const quick = options.quick;
const WEBHOOK_SECONDS = Number(options['webhook-seconds'] ?? (quick ? 30 : 300));
const MIXED_SECONDS = Number(options['mixed-seconds'] ?? (quick ? 20 : 120));
/** The healthy platform alone first, for a same-run baseline of its delivery delays. */
const BASELINE_SECONDS = Math.min(30, Math.ceil(WEBHOOK_SECONDS / 5));
const HOSTILE_FILES = Number(options.hostile ?? (quick ? 200 : 1000));
const ONLY = new Set((options.only ?? 'crash,webhooks,hostile,mixed').split(','));
/** The memory the server may reach under hostile files: the default decode budget (512 MB of pixels) plus the process's own ≈ 300 MB, with room. */
const PEAK_RSS_BUDGET_MB = 1536;

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

const summary = (samples: number[]) => ({ n: samples.length, p50: round(percentile(samples, 50), 1), p99: round(percentile(samples, 99), 1), max: round(samples.length ? Math.max(...samples) : NaN, 1) });

/** A fresh PostgreSQL database and the environment of a server on it (the CLI commands use the same). */
async function environment(extra: Record<string, string> = {}) {
  const database = await createPostgresDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'takedown-bench-reliability-'));
  // Set up as `takedown serve` would, so that the maintenance commands find the tables before the first start.
  const opened = await openDatabase({ databaseUrl: database.url, dataDir });
  await migrate(opened);
  await opened.close();
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: database.url,
    TAKEDOWN_DATA_DIR: dataDir,
    TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'),
    TAKEDOWN_LOG_LEVEL: 'warn',
    TAKEDOWN_INTAKE_RATE_LIMIT: '1000000',
    ...extra,
  };
  const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const addPlatform = (name: string) => /Bearer (\S+)/.exec(cli('platform', 'add', name))![1];
  const cleanup = async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { env, url: database.url, dataDir, cli, addPlatform, cleanup };
}

async function crashDuringIntake() {
  const setup = await environment();
  const port = await freePort();
  let server = await startServer(setup.env, port);
  try {
    const REQUESTS = 300;
    let answered = 0;
    const acknowledged: string[] = [];
    await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        try {
          const response = await fetch(`${server.baseUrl}/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(requestBody({ contact: { email: `bench-${i}@example.org` } })) });
          if (response.status === 201) acknowledged.push(((await response.json()) as { caseNumber: string }).caseNumber);
          else await response.arrayBuffer();
        } catch {
          // cut off by the kill
        } finally {
          answered += 1;
          if (answered === REQUESTS / 2) server.child.kill('SIGKILL');
        }
      }),
    );
    await stopServer(server, 'SIGKILL');
    server = await startServer(setup.env, port);
    const client = new pg.Client({ connectionString: setup.url });
    await client.connect();
    const found = await client.query<{ n: string }>(
      `select count(*) as n from cases c where c.case_number = any($1) and exists (select 1 from items i where i.case_id = c.id)
         and exists (select 1 from audit_events a where a.case_id = c.id and a.action = 'case.received')`,
      [acknowledged],
    );
    await client.end();
    return { requests: REQUESTS, killedAfterAnswers: REQUESTS / 2, acknowledged: acknowledged.length, cutOff: REQUESTS - acknowledged.length, acknowledgedButLost: acknowledged.length - Number(found.rows[0].n) };
  } finally {
    await stopServer(server, 'SIGKILL');
    await setup.cleanup();
  }
}

/** A webhook endpoint on loopback that records when each event arrives; `answer` says how it behaves now. */
async function endpoint(port = 0) {
  const arrivals = new Map<string, number>();
  const state = { answer: true, delays: [] as number[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString()) as { id: string; createdAt: string };
      if (!arrivals.has(event.id)) state.delays.push(Date.now() - Date.parse(event.createdAt));
      arrivals.set(event.id, Date.now());
      if (state.answer) res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, port: (server.address() as AddressInfo).port, arrivals, state, close };
}

async function webhooksUnderFailure() {
  const setup = await environment({ TAKEDOWN_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', TAKEDOWN_OUTBOUND_ALLOW_HTTP: '1', TAKEDOWN_WEBHOOK_RETRY_BASE_MS: '1000', TAKEDOWN_WEBHOOK_RETRY_MAX_MS: '10000', TAKEDOWN_WEBHOOK_MAX_ATTEMPTS: '1000' });
  // Every check of this hash is a review: it is in an imported bank.
  const pdq = randomBytes(32).toString('hex');
  const list = join(setup.dataDir, 'partner.txt');
  writeFileSync(list, `${pdq}\n`);
  setup.cli('bank', 'import', 'partner', list);
  const tokens = { healthy: setup.addPlatform('healthy'), hanging: setup.addPlatform('hanging'), down: setup.addPlatform('down') };
  const healthy = await endpoint();
  const hanging = await endpoint();
  hanging.state.answer = false;
  // The down endpoint's port is closed for the whole scenario (connections refused); it listens again afterwards.
  const downPort = await freePort();
  setup.cli('platform', 'webhook', 'healthy', healthy.url);
  setup.cli('platform', 'webhook', 'hanging', hanging.url);
  setup.cli('platform', 'webhook', 'down', `http://127.0.0.1:${downPort}/events`);
  const server = await startServer(setup.env, await freePort());
  let down: Awaited<ReturnType<typeof endpoint>> | undefined;
  try {
    const reviews = { healthy: 0, hanging: 0, down: 0 };
    const check = async (name: keyof typeof tokens, n: number) => {
      const response = await fetch(`${server.baseUrl}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${tokens[name]}`, 'content-type': 'application/json' }, body: JSON.stringify({ pdq, pdqQuality: 90, contentId: `${name}-${n}` }) });
      const body = (await response.json()) as { verdict?: string };
      if (body.verdict === 'review') reviews[name] += 1;
    };
    const every = async (seconds: number, names: readonly (keyof typeof tokens)[], from: number) => {
      for (let second = from; second < from + seconds; second++) {
        const tick = Date.now();
        await Promise.all(names.map((name) => check(name, second)));
        await sleep(Math.max(0, 1000 - (Date.now() - tick)));
      }
    };
    // Baseline, same run: the healthy platform alone, before the other two endpoints break.
    await every(BASELINE_SECONDS, ['healthy'], 0);
    const baselineDelays = healthy.state.delays.splice(0);
    const started = new Date();
    await every(WEBHOOK_SECONDS, ['healthy', 'hanging', 'down'], BASELINE_SECONDS);
    const ended = new Date();
    const healthyDelays = [...healthy.state.delays];
    // The broken endpoints recover; every event must then arrive.
    hanging.state.answer = true;
    down = await endpoint(downPort);
    const recoveryStarted = Date.now();
    const expected = reviews.healthy + reviews.hanging + reviews.down;
    while (healthy.arrivals.size + hanging.arrivals.size + down.arrivals.size < expected && Date.now() - recoveryStarted < 600_000) await sleep(500);
    const client = new pg.Client({ connectionString: setup.url });
    await client.connect();
    const escalations = await client.query<{ late_ms: number }>(
      `select extract(epoch from (done_at - run_at)) * 1000 as late_ms from jobs where kind = 'deadlines.escalate' and done_at between $1 and $2`,
      [started, ended],
    );
    const undelivered = await client.query<{ n: string }>('select count(*) as n from platform_events where delivered_at is null');
    await client.end();
    return {
      seconds: WEBHOOK_SECONDS,
      checksPerSecondPerPlatform: 1,
      events: reviews,
      baseline: { seconds: BASELINE_SECONDS, healthyAloneDeliveryDelayMs: summary(baselineDelays) },
      healthyDeliveryDelayMs: summary(healthyDelays),
      escalationLatenessMs: summary(escalations.rows.map((r) => Number(r.late_ms))),
      recovery: { seconds: round((Date.now() - recoveryStarted) / 1000, 1), hangingReceived: hanging.arrivals.size, downReceived: down.arrivals.size, healthyReceived: healthy.arrivals.size },
      eventsLost: expected - (healthy.arrivals.size + hanging.arrivals.size + down.arrivals.size),
      undeliveredInDatabase: Number(undelivered.rows[0].n),
      healthyDelayedOver5s: healthyDelays.filter((d) => d > 5_000).length,
    };
  } finally {
    await stopServer(server);
    await Promise.all([healthy.close(), hanging.close(), down?.close()]);
    await setup.cleanup();
  }
}

/** Files made to break decoding, each with the part type an attacker would claim. */
async function hostileFiles(): Promise<{ name: string; bytes: Buffer; type: string }[]> {
  const bigPng = await sharp({ create: { width: 10_000, height: 5_000, channels: 3, background: { r: 200, g: 120, b: 90 } } }).png({ compressionLevel: 9 }).toBuffer();
  const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 10, g: 200, b: 30 } } }).jpeg().toBuffer();
  const pngHeader = (width: number, height: number) => {
    const png = Buffer.from(bigPng.subarray(0, 33));
    png.writeUInt32BE(width, 16);
    png.writeUInt32BE(height, 20);
    return png;
  };
  return [
    { name: 'bomb.png', bytes: pngHeader(100_000, 100_000), type: 'image/png' },
    { name: 'flat-50mp.png', bytes: bigPng, type: 'image/png' },
    { name: 'drawing.svg', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="7000" height="7000"><rect width="7000" height="7000"/></svg>'), type: 'image/svg+xml' },
    { name: 'truncated.jpg', bytes: jpeg.subarray(0, Math.floor(jpeg.length / 3)), type: 'image/jpeg' },
    { name: 'random.jpg', bytes: randomBytes(50_000), type: 'image/jpeg' },
    { name: 'empty.png', bytes: Buffer.alloc(0), type: 'image/png' },
    { name: 'video.mp4', bytes: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), randomBytes(4_000)]), type: 'video/mp4' },
    { name: 'text.png', bytes: Buffer.from('this is not a picture'), type: 'image/png' },
  ];
}

async function hostileUploads() {
  const setup = await environment();
  const token = setup.addPlatform('hostile');
  const server = await startServer(setup.env, await freePort());
  try {
    const pid = server.child.pid!;
    const atStart = memoryOf(pid);
    const files = await hostileFiles();
    const answers: Record<string, number> = {};
    let faults = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < HOSTILE_FILES) {
          const file = files[next++ % files.length];
          const form = new FormData();
          form.set('contentId', `hostile-${next}`);
          form.set('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
          try {
            const response = await fetch(`${server.baseUrl}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
            await response.arrayBuffer();
            answers[response.status] = (answers[response.status] ?? 0) + 1;
            if (response.status >= 500 && !(response.status === 503 && response.headers.get('retry-after'))) faults++;
          } catch {
            faults++;
          }
        }
      }),
    );
    const after = memoryOf(pid);
    return { files: HOSTILE_FILES, kinds: files.map((f) => f.name), answers, faults5xx: faults, rssAtStartMb: atStart.rssMb, peakRssMb: after.peakMb, peakRssBudgetMb: PEAK_RSS_BUDGET_MB, withinBudget: after.peakMb <= PEAK_RSS_BUDGET_MB };
  } finally {
    await stopServer(server);
    await setup.cleanup();
  }
}

async function mixedLoad() {
  const setup = await environment();
  const token = setup.addPlatform('mixed');
  const server: ServerProcess = await startServer(setup.env, await freePort());
  try {
    const pid = server.child.pid!;
    const cases: { caseNumber: string; pin: string }[] = [];
    const timings: Record<string, number[]> = {};
    const unexpected: Record<string, number> = {};
    let errors = 0;
    let lastStatusAt = 0;
    const call = async (route: string, url: string, init: RequestInit = {}) => {
      const started = performance.now();
      try {
        const response = await fetch(`${server.baseUrl}${url}`, init);
        const body = await response.text();
        (timings[route] ??= []).push(performance.now() - started);
        if (response.status >= 500) errors++;
        else if (response.status >= 400) unexpected[`${route} ${response.status}`] = (unexpected[`${route} ${response.status}`] ?? 0) + 1;
        return { status: response.status, body };
      } catch {
        errors++;
        return { status: 0, body: '' };
      }
    };
    const platform = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const steps = [
      async (n: number) => {
        const answer = await call('POST /v1/requests', '/v1/requests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(requestBody({ contact: { email: `mixed-${n}@example.org` } })) });
        if (answer.status === 201) cases.push(JSON.parse(answer.body) as { caseNumber: string; pin: string });
      },
      async () => {
        // The status page answers 60 calls a minute per address (all of this benchmark's): stay under it.
        if (Date.now() - lastStatusAt < 1_100) return;
        lastStatusAt = Date.now();
        const known = cases[Math.floor(Math.random() * cases.length)];
        if (known) await call('GET /v1/cases/:n', `/v1/cases/${known.caseNumber}`, { headers: { 'takedown-case-pin': known.pin } });
      },
      async () => void (await call('POST /v1/check', '/v1/check', { method: 'POST', headers: platform, body: JSON.stringify({ pdq: randomBytes(32).toString('hex'), pdqQuality: 90, md5: randomBytes(16).toString('hex') }) })),
      async (n: number) => void (await call('POST /v1/content', '/v1/content', { method: 'POST', headers: platform, body: JSON.stringify({ contentId: `post-${n}`, url: `https://mixed.example/p/${n}`, pdq: randomBytes(32).toString('hex'), pdqQuality: 90 }) })),
      async () => void (await call('GET /healthz', '/healthz')),
    ];
    // Warm-up (10 s), then the measured load.
    const run = async (seconds: number) => {
      const until = Date.now() + seconds * 1000;
      let n = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (Date.now() < until) {
          n += 1;
          await steps[n % steps.length](n);
        }
      }));
    };
    await run(10);
    for (const key of Object.keys(timings)) timings[key] = [];
    const atStart = memoryOf(pid);
    await run(MIXED_SECONDS);
    const atEnd = memoryOf(pid);
    return {
      seconds: MIXED_SECONDS,
      clients: 8,
      errors,
      answered4xx: unexpected,
      baseline: { healthzP99Ms: round(percentile(timings['GET /healthz'] ?? [], 99), 1) },
      routes: Object.fromEntries(Object.entries(timings).map(([route, samples]) => [route, summary(samples)])),
      rssStartMb: atStart.rssMb,
      rssEndMb: atEnd.rssMb,
      rssGrowthMb: atEnd.rssMb - atStart.rssMb,
    };
  } finally {
    await stopServer(server);
    await setup.cleanup();
  }
}

const result: Record<string, unknown> = { benchmark: 'reliability', database: 'postgres', startedAt: new Date().toISOString() };
if (ONLY.has('crash')) result.crash = await crashDuringIntake();
if (ONLY.has('webhooks')) result.webhooks = await webhooksUnderFailure();
if (ONLY.has('hostile')) result.hostile = await hostileUploads();
if (ONLY.has('mixed')) result.mixed = await mixedLoad();
console.log(JSON.stringify(result, null, 2));
