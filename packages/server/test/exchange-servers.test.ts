import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { decideItem } from '../src/services/review.ts';
import { migrate, openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { requestBody } from './helpers/fixtures.ts';
import { runCli } from './helpers/run-cli.ts';
import { freePort, startServer, stopServer, type ServerProcess } from './helpers/server-process.ts';

/** One takedown deployment: its own PostgreSQL database, data dir and secret, run as `takedown serve`. */
interface Deployment {
  env: Record<string, string | undefined>;
  database: OpenDatabase;
  port: number;
  server: ServerProcess;
  reviewer?: { userId: string; actor: string; seesSenior: boolean };
}

const cleanup: (() => Promise<void>)[] = [];

async function deployment(extraEnv: Record<string, string> = {}): Promise<Deployment> {
  const created = await createPostgresDatabase();
  cleanup.push(() => created.drop());
  const dataDir = mkdtempSync(join(tmpdir(), 'takedown-exchange-'));
  cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, DATABASE_URL: created.url, TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'), TAKEDOWN_DATA_DIR: dataDir, TAKEDOWN_LOG_LEVEL: 'warn', ...extraEnv };
  const database = await openDatabase({ databaseUrl: created.url, dataDir });
  await migrate(database);
  cleanup.push(() => database.close());
  const port = await freePort();
  const server = await startServer(env, port);
  const d: Deployment = { env, database, port, server };
  cleanup.push(() => stopServer(d.server));
  return d;
}

async function request(d: Deployment, hashes: Record<string, string>): Promise<{ caseNumber: string; pin: string; itemId: string }> {
  const body = requestBody({ items: [{ url: `https://platform.example.com/p/${randomBytes(4).toString('hex')}`, hashes }] });
  const response = await fetch(`${d.server.baseUrl}/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  const created = (await response.json()) as { caseNumber: string; pin: string; items: { id: string }[] };
  return { caseNumber: created.caseNumber, pin: created.pin, itemId: created.items[0].id };
}

async function addReviewer(d: Deployment): Promise<void> {
  const user = await createStaffUser(d.database, systemClock, { username: 'riley', role: 'senior', password: 'correct horse battery staple' }, 'test');
  d.reviewer = { userId: user.id, actor: 'staff:riley', seesSenior: true };
}

/** A reviewer of the deployment decides the item, as the review console would. */
async function decide(d: Deployment, itemId: string, decision: 'confirm' | 'decline') {
  if (!d.reviewer) throw new Error('no reviewer on this deployment');
  const result = await decideItem(d.database, systemClock, d.reviewer, itemId, decision === 'confirm' ? { decision } : { decision, reason: 'not_intimate' });
  expect(result.kind).toBe('ok');
}

async function check(d: Deployment, key: string, hashes: Record<string, string>): Promise<{ verdict: string; matches: { bank: string; from: string }[] }> {
  const response = await fetch(`${d.server.baseUrl}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(hashes) });
  expect(response.status).toBe(200);
  return (await response.json()) as { verdict: string; matches: { bank: string; from: string }[] };
}

/** Polls `probe` every 50 ms until it returns true; resolves to the milliseconds it took, or fails after `limitMs`. */
async function within(limitMs: number, probe: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - start;
    if (Date.now() - start > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const md5 = () => randomBytes(16).toString('hex');

/**
 * Sits between the follower and the source: passes answers through, alters a hash in every feed page
 * ("tamper"), or answers every feed request with the first page it saw ("replay").
 */
class FeedProxy {
  mode: 'pass' | 'tamper' | 'replay' = 'pass';
  #recorded: { text: string; signature: string } | undefined;
  readonly server: Server;
  constructor(target: () => string) {
    this.server = createServer(async (req, res) => {
      const upstream = await fetch(`${target()}${req.url}`, { method: req.method, headers: { authorization: req.headers.authorization ?? '', 'content-type': req.headers['content-type'] ?? 'application/json' }, body: req.method === 'POST' ? await readBody(req) : undefined }).catch(() => undefined);
      if (!upstream) {
        res.writeHead(502).end();
        return;
      }
      let text = await upstream.text();
      let signature = upstream.headers.get('takedown-feed-signature') ?? '';
      if (req.url?.startsWith('/v1/exchange/feed') && upstream.ok) {
        if (text.includes('"entries":[{')) this.#recorded ??= { text, signature };
        if (this.mode === 'tamper') text = text.replace(/"hash":"([0-9a-f])/, (_, c: string) => `"hash":"${c === '0' ? '1' : '0'}`);
        if (this.mode === 'replay' && this.#recorded) ({ text, signature } = this.#recorded);
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json', 'takedown-feed-signature': signature }).end(text);
    });
  }
}

function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });
}

describe('two deployments on loopback, each on its own PostgreSQL database', () => {
  let a: Deployment;
  let b: Deployment;
  let bCheckKey: string;
  let proxy: FeedProxy;
  let proxyUrl: string;

  beforeAll(async () => {
    a = await deployment();
    // B retries a source that is down quickly, so the test of A being down stays short.
    b = await deployment({ TAKEDOWN_EXCHANGE_RETRY_BASE_MS: '100', TAKEDOWN_EXCHANGE_RETRY_MAX_MS: '500', TAKEDOWN_EXCHANGE_SOURCES_MS: '200' });
    proxy = new FeedProxy(() => a.server.baseUrl);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    cleanup.push(
      () =>
        new Promise((resolve) => {
          proxy.server.close(() => resolve());
          proxy.server.closeAllConnections();
        }),
    );
    await Promise.all([addReviewer(a), addReviewer(b)]);
    bCheckKey = (await addPlatformKey(b.database, systemClock, { name: 'b-platform', scopes: ['check'] }, 'test')).token;
    const followKey = (await addPlatformKey(a.database, systemClock, { name: 'deployment-b', scopes: ['exchange'] }, 'test')).token;
    const followed = await runCli(['exchange', 'follow', proxyUrl, '--key', followKey, '--trust', 'review', '--name', 'a'], { env: b.env });
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toContain('Following "a"');
  }, 180_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }, 120_000);

  it('makes a hash confirmed on A matchable on B within 5 s, marked as from the followed feed', async () => {
    const hash = md5();
    const { itemId } = await request(a, { md5: hash });
    const confirmedAt = Date.now();
    await decide(a, itemId, 'confirm');
    const tookMs = await within(5_000, async () => (await check(b, bCheckKey, { md5: hash })).verdict !== 'allow');
    console.info(`exchange: confirmed on A, matchable on B after ${Date.now() - confirmedAt} ms (${tookMs} ms of polling)`);
    const result = await check(b, bCheckKey, { md5: hash });
    // Followed with --trust review: an exact copy goes to a person, never blocked on the source's word alone.
    expect(result).toMatchObject({ verdict: 'review', matches: [{ bank: 'feed.a', from: 'followed feed "a" (review only)' }] });
  }, 30_000);

  it('removes a hash from B within 5 s when the request on A is withdrawn', async () => {
    const hash = md5();
    const { itemId, caseNumber, pin } = await request(a, { md5: hash });
    await decide(a, itemId, 'confirm');
    await within(5_000, async () => (await check(b, bCheckKey, { md5: hash })).verdict !== 'allow');
    const withdrawn = await fetch(`${a.server.baseUrl}/v1/cases/${caseNumber}/withdraw`, { method: 'POST', headers: { 'takedown-case-pin': pin } });
    expect(withdrawn.status).toBe(200);
    const tookMs = await within(5_000, async () => (await check(b, bCheckKey, { md5: hash })).verdict === 'allow');
    console.info(`exchange: withdrawn on A, gone from B after ${tookMs} ms`);
  }, 30_000);

  it("sends B's reviewer's verdict on a match back to A", async () => {
    const confirmedHash = md5();
    const declinedHash = md5();
    for (const hash of [confirmedHash, declinedHash]) await decide(a, (await request(a, { md5: hash })).itemId, 'confirm');
    await within(5_000, async () => (await check(b, bCheckKey, { md5: declinedHash })).verdict !== 'allow');
    // The same pictures reported on B: the item matches the followed hashes, the reviewer decides.
    for (const [hash, decision] of [[confirmedHash, 'confirm'], [declinedHash, 'decline']] as const) {
      const { itemId } = await request(b, { md5: hash });
      await within(5_000, async () => (await b.database.transaction((tx) => tx.selectFrom('item_matches').select('matched_ref').where('item_id', '=', itemId).execute())).some((m) => m.matched_ref.startsWith('feed:a:')));
      await decide(b, itemId, decision);
    }
    const received = async () =>
      a.database.transaction((tx) =>
        tx.selectFrom('exchange_feedback').innerJoin('exchange_published', 'exchange_published.entry_id', 'exchange_feedback.entry_id').select(['exchange_published.hash', 'verdict']).execute(),
      );
    await within(5_000, async () => (await received()).length >= 2);
    expect(await received()).toEqual(expect.arrayContaining([{ hash: confirmedHash, verdict: 'confirmed' }, { hash: declinedHash, verdict: 'false_positive' }]));
  }, 60_000);

  it('refuses a tampered page and a replayed page, applying nothing of them', async () => {
    const sourceRow = async () => b.database.transaction((tx) => tx.selectFrom('exchange_sources').select(['cursor', 'last_error']).where('name', '=', 'a').executeTakeFirstOrThrow());
    for (const mode of ['tamper', 'replay'] as const) {
      proxy.mode = mode;
      const before = await sourceRow();
      const hash = md5();
      await decide(a, (await request(a, { md5: hash })).itemId, 'confirm');
      const expected = mode === 'tamper' ? 'the signature does not verify' : 'answers another request';
      await within(5_000, async () => ((await sourceRow()).last_error ?? '').includes(expected));
      expect((await sourceRow()).cursor).toBe(before.cursor);
      expect((await check(b, bCheckKey, { md5: hash })).verdict).toBe('allow');
      proxy.mode = 'pass';
      await within(5_000, async () => (await check(b, bCheckKey, { md5: hash })).verdict !== 'allow');
    }
  }, 60_000);

  it('keeps following while A is down and catches up with nothing lost', async () => {
    // A hash B already holds: B keeps matching it while A is down.
    const held = md5();
    await decide(a, (await request(a, { md5: held })).itemId, 'confirm');
    await within(5_000, async () => (await check(b, bCheckKey, { md5: held })).verdict !== 'allow');
    const hashes = Array.from({ length: 20 }, md5);
    const items = [];
    for (const hash of hashes) items.push((await request(a, { md5: hash })).itemId);
    const failures = async () => (await b.database.transaction((tx) => tx.selectFrom('exchange_sources').select('failures').where('name', '=', 'a').executeTakeFirstOrThrow())).failures;
    const failuresBefore = await failures();
    // A stops; its reviewers confirm meanwhile (the confirmations wait in A's job queue until it is back).
    await stopServer(a.server);
    for (const itemId of items) await decide(a, itemId, 'confirm');
    await within(5_000, async () => (await failures()) > failuresBefore);
    expect((await check(b, bCheckKey, { md5: held })).verdict).toBe('review');
    a.server = await startServer(a.env, a.port);
    const tookMs = await within(15_000, async () => {
      for (const hash of hashes) if ((await check(b, bCheckKey, { md5: hash })).verdict === 'allow') return false;
      return true;
    });
    console.info(`exchange: A back up; B had all ${hashes.length} hashes confirmed meanwhile after ${tookMs} ms`);
  }, 240_000);
});
