import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '@takedown/core';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deriveKeys } from '../src/crypto/keys.ts';
import { buildApp } from '../src/http/app.ts';
import { feedSigner } from '../src/crypto/feed-signing.ts';
import type { FeedPage } from '../src/platform/exchange-page.ts';
import { BankIndex } from '../src/platform/bank-index.ts';
import { ContentIndex } from '../src/platform/content-index.ts';
import { FeedWatch, signedFeedPage } from '../src/services/exchange-publish.ts';
import { IndexFollower } from '../src/services/index-follower.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { addBankHashes, bankConfirmedItem, ensureBank } from '../src/services/platform-banks.ts';
import { readPublished } from '../src/store/exchange-feed.ts';
import { INDEX_CHANNEL } from '../src/store/migrations/006-index-notify.ts';
import { EXCHANGE_CHANNEL } from '../src/store/migrations/011-exchange.ts';
import { openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { fileRequest, platformTestConfig } from './platform-helpers.ts';

const pdq = (seed: number) => createHash('sha256').update(`relisten pdq ${seed}`).digest('hex');
const keys = deriveKeys(randomBytes(32));

/** Polls `probe` every 10 ms until it holds; fails after `withinMs`. Resolves with the time it took. */
async function until(probe: () => Promise<boolean> | boolean, withinMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await sleep(10);
  }
  return Date.now() - started;
}

/**
 * The test's PostgreSQL database, seen by the listener under test through a door: while `deaf` is set, its
 * tries to listen again are refused (a server still restarting), so the outage lasts as long as the test wants.
 */
function withDoor(database: OpenDatabase) {
  const door = { deaf: false };
  const seen: OpenDatabase = {
    ...database,
    listen: (channel, onNotify, onLost) => (door.deaf ? Promise.reject(new Error('connection refused')) : database.listen(channel, onNotify, onLost)),
  };
  return { door, seen };
}

/** The backends listening on `channel` in this test's database. */
async function listeners(database: OpenDatabase, channel: string): Promise<number[]> {
  const found = await database.transaction((tx) =>
    sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query = ${`listen "${channel}"`}`.execute(tx),
  );
  return found.rows.map((r) => r.pid);
}

async function kill(database: OpenDatabase, pid: number): Promise<void> {
  await database.transaction((tx) => sql`select pg_terminate_backend(${pid}::int)`.execute(tx));
}

/** What a listener reported: losses and recoveries, in order. */
function news() {
  const heard: string[] = [];
  return { heard, events: { onLost: (error: Error) => void heard.push(`lost: ${error.message}`), onRestored: () => void heard.push('restored') } };
}

describe('listening again on PostgreSQL after the listening backend is killed', () => {
  const postgres = backends.find((b) => b.name === 'postgres')!;
  let db: TestDatabase;
  let second: OpenDatabase;

  beforeAll(async () => {
    db = await postgres.create();
    // "Another connection": a second pool, as another replica or the CLI would have.
    second = await openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    await ensureBank(second, systemClock, 'partner', 'test');
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await db?.drop();
  });

  /** A follower of the test database (seen through `database`), with its reports and errors. */
  async function following(database: OpenDatabase, pollMs: number) {
    const banks = new BankIndex();
    const follower = new IndexFollower(database, banks, new ContentIndex());
    await follower.load();
    const errors: Error[] = [];
    const { heard, events } = news();
    follower.start(pollMs, (error) => errors.push(error), events);
    await until(async () => (await listeners(db.database, INDEX_CHANNEL)).length > 0);
    const [listener] = await listeners(db.database, INDEX_CHANNEL);
    const matchable = (seed: number) => banks.lookup({ pdq: { hash: pdq(seed) } }).length > 0;
    const stop = async () => {
      await follower.stop();
      await follower.close();
    };
    return { heard, errors, listener, matchable, stop };
  }
  const add = (seed: number) => addBankHashes(second, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(seed) } }], 'test');

  it('the index follower still follows changes by its poll while it cannot listen again', async () => {
    const { door, seen } = withDoor(db.database);
    const pollMs = 1_500;
    const f = await following(seen, pollMs);
    try {
      // Killed while PostgreSQL refuses new connections for a while: only the poll brings changes.
      door.deaf = true;
      await kill(db.database, f.listener);
      await until(() => f.heard.length > 0);
      await add(1);
      expect(await until(() => f.matchable(1))).toBeLessThan(pollMs + 1_000);
      expect(f.heard).toEqual([expect.stringMatching(/^lost: /)]);
      expect(f.errors).toEqual([]);
    } finally {
      await f.stop();
    }
  }, 30_000);

  it('the index follower syncs at once when it listens again, then hears changes within 1 s again', async () => {
    const pollMs = 600_000; // the poll would take ten minutes: only the listen brings changes
    const f = await following(db.database, pollMs);
    try {
      await kill(db.database, f.listener);
      const killed = Date.now();
      await until(() => f.heard.length > 0);
      // A change made while nothing is heard: its notification is lost.
      await add(2);
      await sleep(100);
      expect(f.heard).toEqual([expect.stringMatching(/^lost: /)]);
      expect(f.matchable(2)).toBe(false);

      // Listening again after the first pause (1 s): the sync run then brings the change missed meanwhile.
      await until(() => f.heard.includes('restored'));
      expect(Date.now() - killed).toBeGreaterThanOrEqual(1_000);
      expect(await until(() => f.matchable(2))).toBeLessThan(1_000);
      const [again] = await listeners(db.database, INDEX_CHANNEL);
      expect(again).toBeDefined();
      expect(again).not.toBe(f.listener);

      // Heard again: a hash added elsewhere is matchable within 1 s.
      await add(3);
      expect(await until(() => f.matchable(3))).toBeLessThan(1_000);
      // One report each way, and no sync failed.
      expect(f.heard).toEqual([expect.stringMatching(/^lost: /), 'restored']);
      expect(f.errors).toEqual([]);
    } finally {
      await f.stop();
    }
    expect(await listeners(db.database, INDEX_CHANNEL)).toEqual([]);
  }, 30_000);

  it('the feed watch answers waiting followers by its checks while deaf, wakes them when it hears again, and is back to notifications', async () => {
    const { door, seen } = withDoor(db.database);
    const { heard, events } = news();
    const watch = new FeedWatch(seen, events);
    const signer = feedSigner(keys.exchangeSigning);
    /** Publishes one new hash in this deployment's feed, through the other connection. */
    const publish = async () => {
      const filed = await fileRequest(second, keys, [{ hashes: { md5: randomBytes(16).toString('hex') } }]);
      const row = await second.transaction((tx) => tx.selectFrom('items').select(['id', 'signals']).where('id', '=', filed.items[0].id).executeTakeFirstOrThrow());
      await second.transaction((tx) => bankConfirmedItem(tx, new Date(), { id: row.id, signals: JSON.parse(row.signals) }));
    };
    const head = async () => (await db.database.transaction((tx) => readPublished(tx, 0, 1))).head;
    /** A follower's long poll for what comes after the feed's head now; resolves with the time it was answered. */
    const longPoll = async () => {
      const after = await head();
      const page = signedFeedPage(seen, signer, watch, { after, limit: 10, nonce: 'r'.repeat(20), waitMs: 10_000 }, () => false);
      return page.then((answer) => ({ entries: (JSON.parse(answer.body) as FeedPage).entries.length, at: Date.now() }));
    };
    try {
      await watch.wait(1); // the first wait listens
      await until(async () => (await listeners(db.database, EXCHANGE_CHANNEL)).length > 0);
      const [listener] = await listeners(db.database, EXCHANGE_CHANNEL);

      door.deaf = true;
      await kill(db.database, listener);
      await until(() => heard.length > 0);
      // Deaf: a waiting follower still gets the new entry, at the next check (every second).
      const deafPoll = longPoll();
      await sleep(200);
      await publish();
      const published = Date.now();
      const deafAnswer = await deafPoll;
      expect(deafAnswer.entries).toBe(1);
      expect(deafAnswer.at - published).toBeLessThan(2_000);

      // A wait under way when it hears again ends then (the readers check once), not at its timeout.
      const waited = Date.now();
      const pending = watch.wait(30_000);
      door.deaf = false;
      await until(() => heard.includes('restored'), 20_000);
      await pending;
      expect(Date.now() - waited).toBeLessThan(20_000);
      const [again] = await listeners(db.database, EXCHANGE_CHANNEL);
      expect(again).toBeDefined();
      expect(again).not.toBe(listener);

      // Heard again: a change wakes a waiting reader on its notification, within 1 s.
      const woken = watch.wait(10_000);
      await sleep(100);
      const changed = Date.now();
      await publish();
      await woken;
      expect(Date.now() - changed).toBeLessThan(1_000);
      expect(heard).toEqual([expect.stringMatching(/^lost: /), 'restored']);
    } finally {
      await watch.close();
    }
    // Closed: no listening connection is left.
    expect(await listeners(db.database, EXCHANGE_CHANNEL)).toEqual([]);
  }, 60_000);

  it('the server says once that changes are not heard and once that they are heard again, for the index and the feed', async () => {
    const { config } = platformTestConfig(db.dataDir);
    const app: FastifyInstance = await buildApp(config, { database: db.database, keys, clock: systemClock });
    const logged: unknown[][] = [];
    try {
      await app.ready();
      vi.spyOn(app.log, 'warn').mockImplementation((...args: unknown[]) => void logged.push(args));
      vi.spyOn(app.log, 'info').mockImplementation((...args: unknown[]) => void logged.push(args));
      const follower = await addPlatformKey(db.database, systemClock, { name: 'relistener', scopes: ['exchange'] }, 'test');
      // A follower's long poll makes the feed watch listen.
      const poll = () => app.inject({ method: 'GET', url: `/v1/exchange/feed?after=999999999999999&nonce=${'p'.repeat(20)}&waitMs=100`, headers: { authorization: `Bearer ${follower.token}` } });
      expect((await poll()).statusCode).toBe(200);
      await until(async () => (await listeners(db.database, INDEX_CHANNEL)).length > 0 && (await listeners(db.database, EXCHANGE_CHANNEL)).length > 0);
      for (const channel of [INDEX_CHANNEL, EXCHANGE_CHANNEL]) for (const pid of await listeners(db.database, channel)) await kill(db.database, pid);
      const lines = (text: string) => logged.filter((args) => args.some((a) => typeof a === 'string' && a.includes(text)));
      await until(() => lines('heard again').length === 2);
      const lost = lines('not heard');
      expect(lost.map((args) => args.find((a) => typeof a === 'string'))).toEqual(expect.arrayContaining([expect.stringMatching(/^bank and content changes/), expect.stringMatching(/^changes to this deployment's feed/)]));
      expect(lost).toHaveLength(2);
      await sleep(200);
      expect(lines('heard again')).toHaveLength(2);
      expect((await poll()).statusCode).toBe(200);
      // No key, hash or address in them: the reason from PostgreSQL and the poll interval only.
      expect(JSON.stringify(lost)).not.toMatch(/tdk_|postgres:\/\//);
    } finally {
      vi.restoreAllMocks();
      await app.close();
    }
  }, 30_000);
});
