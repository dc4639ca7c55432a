/**
 * npm run bench:exchange — the exchange between deployments, on PostgreSQL (docs/exchange.md).
 *
 * 1. Hashes applied per second from a feed of N entries (default 1 000 000 PDQ hashes; goal ≥ 50 000/s): a
 *    real source (`takedown serve`, a child process) serves its signed pages; the follower in this process
 *    checks, applies and indexes them until its checkpoint reaches the feed's head and its match index holds
 *    every hash. Baseline in the same run: the same entries written into a plain table on the follower's
 *    database with one set-based INSERT per page and nothing else (no HTTP, signature, checks or index): the
 *    floor any follower pays to store them.
 * 2. Time from a reviewer's confirmation on the source to the hash being matchable on the follower (goal
 *    p99 ≤ 5 s), for C confirmations one after another. Baseline in the same run: the time to matchable on
 *    the source itself (its own bank), measured for the same confirmations.
 * Options: --size N, --confirmations C (default 30), --page P (entries per page, default 20 000).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { systemClock } from '@takedown/core';
import { createPostgresDatabase } from '@takedown/testing/databases';
import { requestBody } from '@takedown/testing/requests';
import { freePort, startServer, stopServer } from '@takedown/testing/server-process';
import { addPlatformKey, createStaffUser, decideItem, DEFAULT_EXCHANGE_CONFIG, DEFAULT_PLATFORM_CONFIG, deriveKeys, ExchangeFollower, fetchFeedIdentity, followSource, migrate, openDatabase, PlatformRuntime } from '@takedown/server';
import { percentile, round } from './stats.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '1000000' }, confirmations: { type: 'string', default: '30' }, page: { type: 'string', default: '20000' } } });
const size = Number(values.size);
const confirmations = Number(values.confirmations);
const pageSize = Number(values.page);

const cleanup: (() => Promise<unknown>)[] = [];
const dir = mkdtempSync(join(tmpdir(), 'takedown-bench-exchange-'));
cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));

try {
  // The source: its own database, filled with `size` published PDQ hashes, served by `takedown serve`.
  const sourceDb = await createPostgresDatabase();
  cleanup.push(() => sourceDb.drop());
  const source = await openDatabase({ databaseUrl: sourceDb.url, dataDir: join(dir, 'a') });
  cleanup.push(() => source.close());
  await migrate(source);
  await source.transaction((tx) =>
    sql`insert into exchange_published (entry_id, signal, hash, value, status, seq, changed_at)
      select gen_random_uuid(), 'pdq', h, json_build_object('pdq', h, 'pdqQuality', 90)::text, 'active', nextval('exchange_feed_seq'), now()
      from (select md5(i::text || 'a') || md5(i::text || 'b') as h from generate_series(1, ${size}::integer) i) s`.execute(tx),
  );
  const env = { ...process.env, DATABASE_URL: sourceDb.url, TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'), TAKEDOWN_DATA_DIR: join(dir, 'a'), TAKEDOWN_LOG_LEVEL: 'warn' };
  const server = await startServer(env, await freePort());
  cleanup.push(() => stopServer(server));
  const followKey = (await addPlatformKey(source, systemClock, { name: 'follower', scopes: ['exchange'] }, 'bench')).token;
  const checkKey = (await addPlatformKey(source, systemClock, { name: 'platform', scopes: ['check'] }, 'bench')).token;

  // The follower: this process, on a database of its own.
  const followerDb = await createPostgresDatabase();
  cleanup.push(() => followerDb.drop());
  const follower = await openDatabase({ databaseUrl: followerDb.url, dataDir: join(dir, 'b') });
  cleanup.push(() => follower.close());
  await migrate(follower);
  const keys = deriveKeys(randomBytes(32));
  const identity = await fetchFeedIdentity(server.baseUrl, followKey, 15_000);
  await followSource(follower, keys, systemClock, { name: 'source', url: server.baseUrl, apiKey: followKey, publicKey: identity.publicKey, feedId: identity.feed, trust: 'review' }, 'bench');
  const runtime = new PlatformRuntime(follower, { ...DEFAULT_PLATFORM_CONFIG, matchHelperThread: false });
  await runtime.open();
  cleanup.push(() => runtime.close());

  // 1. Catch-up from the whole feed.
  const exchange = new ExchangeFollower({ database: follower, keys, clock: systemClock, config: { ...DEFAULT_EXCHANGE_CONFIG, pageSize, waitMs: 1_000 }, afterApply: () => runtime.sync(), index: runtime.follower });
  const started = performance.now();
  await exchange.start();
  cleanup.push(() => exchange.stop());
  while (runtime.banks.size < size) await new Promise((r) => setTimeout(r, 50));
  const catchUpSeconds = (performance.now() - started) / 1000;

  // Baseline: the same entries, page by page, into a plain table with one set-based INSERT each.
  await follower.transaction((tx) => sql`create table bench_plain (entry uuid, signal text, hash text, value text)`.execute(tx));
  const baselineStarted = performance.now();
  for (let after = 0; after < size; after += pageSize) {
    const rows = await source.transaction((tx) => tx.selectFrom('exchange_published').select(['entry_id', 'signal', 'hash', 'value']).where('seq', '>', String(after)).orderBy('seq').limit(pageSize).execute());
    await follower.transaction((tx) =>
      sql`insert into bench_plain select * from unnest(${rows.map((r) => r.entry_id)}::uuid[], ${rows.map((r) => r.signal)}::text[], ${rows.map((r) => r.hash)}::text[], ${rows.map((r) => r.value)}::text[])`.execute(tx),
    );
  }
  const baselineSeconds = (performance.now() - baselineStarted) / 1000;
  // The catch-up figures on stderr at once: a later failure does not lose them.
  console.error(JSON.stringify({ catchUpSeconds: round(catchUpSeconds), hashesPerSecond: round(size / catchUpSeconds, 0), baselineSeconds: round(baselineSeconds) }));

  // 2. Confirmation on the source → matchable on the follower (and, as the baseline, on the source itself).
  const reviewer = await createStaffUser(source, systemClock, { username: 'bench-reviewer', role: 'senior', password: 'correct horse battery staple' }, 'bench');
  const staff = { userId: reviewer.id, actor: 'staff:bench-reviewer', seesSenior: true };
  const onFollower: number[] = [];
  const onSource: number[] = [];
  for (let i = 0; i < confirmations; i++) {
    const md5 = randomBytes(16).toString('hex');
    const response = await fetch(`${server.baseUrl}/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(requestBody({ contact: { email: `bench-${i}@example.org` }, items: [{ url: `https://platform.example.com/p/${i}`, hashes: { md5 } }] })) });
    const created = (await response.json()) as { items: { id: string }[] };
    const confirmedAt = performance.now();
    const decided = await decideItem(source, systemClock, staff, created.items[0].id, { decision: 'confirm' });
    if (decided.kind !== 'ok') throw new Error(`confirmation failed: ${JSON.stringify(decided)}`);
    let sourceMs: number | undefined;
    let followerMs: number | undefined;
    while (sourceMs === undefined || followerMs === undefined) {
      if (followerMs === undefined && runtime.banks.lookup({ md5 }).length > 0) followerMs = performance.now() - confirmedAt;
      if (sourceMs === undefined) {
        const check = await fetch(`${server.baseUrl}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${checkKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ md5 }) });
        if (((await check.json()) as { verdict: string }).verdict !== 'allow') sourceMs = performance.now() - confirmedAt;
      }
      if (performance.now() - confirmedAt > 120_000) throw new Error(`confirmation ${i + 1} was not matchable ${followerMs === undefined ? 'on the follower' : 'on the source'} within 120 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    onFollower.push(followerMs);
    onSource.push(sourceMs);
  }

  console.log(
    JSON.stringify(
      {
        bench: 'exchange',
        database: 'postgres',
        applied: {
          entries: size,
          pageSize,
          seconds: round(catchUpSeconds),
          hashesPerSecond: round(size / catchUpSeconds, 0),
          goalPerSecond: 50_000,
          baseline: { what: 'the same entries inserted page by page into a plain table (one INSERT … SELECT FROM unnest per page), nothing else', seconds: round(baselineSeconds), hashesPerSecond: round(size / baselineSeconds, 0) },
          ratioToBaseline: round(baselineSeconds / catchUpSeconds),
        },
        confirmedToMatchable: {
          confirmations,
          followerP50Ms: round(percentile(onFollower, 50)),
          followerP99Ms: round(percentile(onFollower, 99)),
          followerMaxMs: round(Math.max(...onFollower)),
          goalP99Ms: 5_000,
          baseline: { what: 'the same confirmations matchable on the source itself (its own bank)', p50Ms: round(percentile(onSource, 50)), p99Ms: round(percentile(onSource, 99)) },
        },
      },
      null,
      2,
    ),
  );
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
}
