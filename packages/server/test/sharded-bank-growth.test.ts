import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PLATFORM_CONFIG } from '../src/config/platform-config.ts';
import { deriveKeys } from '../src/crypto/keys.ts';
import { feedSigner } from '../src/crypto/feed-signing.ts';
import { buildApp } from '../src/http/app.ts';
import { BankIndex } from '../src/platform/bank-index.ts';
import { ContentIndex } from '../src/platform/content-index.ts';
import type { FeedPage } from '../src/platform/exchange-page.ts';
import { ShardedPdqMatcher } from '../src/platform/sharded-pdq-matcher.ts';
import { applyVerifiedPage } from '../src/services/exchange-apply.ts';
import { followedSources, followSource } from '../src/services/exchange-sources.ts';
import { IndexFollower } from '../src/services/index-follower.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { PlatformRuntime } from '../src/services/platform-runtime.ts';
import { addBankHashes, ensureBank, removeBankHashes } from '../src/services/platform-banks.ts';
import { openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { checkPdq, platformTestConfig } from './platform-helpers.ts';

/** A random-looking PDQ hash for a seed (independent hashes are ~128 bits apart). */
const pdq = (seed: number) => createHash('sha256').update(`growing ${seed}`).digest('hex');
const flip = (hash: string, bits: number) => (BigInt(`0x${hash}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(64, '0');

const BANKED = 900;
const GROWN = 1200;
// tiny shards: from 1 000 hashes the bank moves to shards of 400 rows, each in its worker thread
const SHARDS = { aboveHashes: 1000, shardRows: 400 };
const METRICS_TOKEN = 'growth-metrics-token';

/** Holds every sharded matcher's build until the returned release is called (which also lifts the hold). */
function holdShardBuilds(): () => void {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const build = ShardedPdqMatcher.prototype.build;
  const spy = vi.spyOn(ShardedPdqMatcher.prototype, 'build').mockImplementation(async function (this: ShardedPdqMatcher, ...args) {
    await held;
    return build.apply(this, args);
  });
  return () => {
    release();
    spy.mockRestore();
  };
}

async function until(done: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await done())) {
    if (Date.now() - started > ms) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const backend of backends) {
  describe(`a bank that grows past the shard threshold while the server runs (${backend.name})`, () => {
    let db: TestDatabase;
    let second: OpenDatabase;
    let app: FastifyInstance;
    let token: string;
    const logged: { fields: Record<string, number>; message: string }[] = [];
    const start = async () => {
      const { config, keys } = platformTestConfig(db.dataDir, { platform: { ...DEFAULT_PLATFORM_CONFIG, indexSyncMs: 100, matchShards: SHARDS }, metricsToken: METRICS_TOKEN });
      const platform = new PlatformRuntime(db.database, config.platform, { log: (fields, message) => logged.push({ fields, message }) });
      await platform.load();
      return buildApp(config, { database: db.database, keys, clock: systemClock, platform });
    };
    const check = (hash: string) => checkPdq(app, token, hash);
    const matched = async (hash: string) => (await check(hash)).matches.length > 0;
    const pdqGauges = async () => {
      const text = (await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body;
      return ['hashes', 'shards', 'moving'].map((name) => Number(new RegExp(`^takedown_pdq_index_${name} (\\d+)$`, 'm').exec(text)?.[1]));
    };

    beforeAll(async () => {
      db = await backend.create();
      // "another connection": another pool on PostgreSQL (its changes reach the server by notification);
      // the embedded database has one connection
      second = db.databaseUrl ? await openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }) : db.database;
      await ensureBank(db.database, systemClock, 'partner', 'test');
      await addBankHashes(db.database, systemClock, 'partner', Array.from({ length: BANKED }, (_, i) => ({ signal: 'pdq', value: { hash: pdq(i) } })), 'test');
      token = (await addPlatformKey(db.database, systemClock, { name: 'pics', scopes: ['check'] }, 'test')).token;
      app = await start();
    }, 180_000);
    afterAll(async () => {
      vi.restoreAllMocks();
      await app?.close();
      if (second && second !== db.database) await second.close();
      await db?.drop();
    });

    it('moves the bank to shards in the background, answering every check the same before, during and after', async () => {
      const platform = app.services.platform;
      expect([platform.follower.pdqShards, platform.follower.pdqMoving]).toEqual([0, false]);
      expect(await pdqGauges()).toEqual([BANKED, 0, 0]);
      expect(await check(flip(pdq(7), 5))).toMatchObject({ verdict: 'review', matches: [{ bank: 'partner', distance: 5 }] });
      expect(await check(pdq(BANKED + 1))).toMatchObject({ verdict: 'allow', matches: [] });

      // the shards' build is held until the test has checked, added and removed "during" the move
      const release = holdShardBuilds();
      try {
        await addBankHashes(second, systemClock, 'partner', Array.from({ length: GROWN - BANKED }, (_, i) => ({ signal: 'pdq', value: { hash: pdq(BANKED + i) } })), 'test');
        await until(() => platform.follower.pdqMoving, 'the move to start');
        expect(logged.at(-1)).toMatchObject({ fields: { hashes: GROWN, shardRows: 400 }, message: expect.stringMatching(/moves to worker threads/) });

        // during: answered from the index in this thread, changes followed as before
        expect(await check(flip(pdq(GROWN - 1), 31))).toMatchObject({ verdict: 'review', matches: [{ bank: 'partner', distance: 31 }] });
        expect(await check(flip(pdq(GROWN - 1), 32))).toMatchObject({ verdict: 'allow', matches: [] });
        await removeBankHashes(second, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(7) } }, { signal: 'pdq', value: { hash: pdq(1000) } }], 'test');
        await addBankHashes(second, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(5000) } }], 'test');
        await until(async () => !(await matched(pdq(7))) && !(await matched(pdq(1000))) && (await matched(pdq(5000))), 'the changes made during the move');
        expect(platform.follower.pdqMoving).toBe(true);
        expect(platform.follower.pdqShards).toBe(0);
        expect(await pdqGauges()).toEqual([GROWN - 1, 0, 1]);
      } finally {
        release();
      }

      // after: the shards answer, with the changes made during the move and nothing removed coming back
      await until(() => platform.follower.pdqShards > 0, 'the swap');
      expect(platform.follower.pdqMoving).toBe(false);
      expect(platform.follower.pdqShards).toBe(3);
      expect(await pdqGauges()).toEqual([GROWN - 1, 3, 0]);
      expect(logged.at(-1)).toMatchObject({ fields: { hashes: GROWN - 1, shards: 3, seconds: expect.any(Number) }, message: expect.stringMatching(/moved to worker threads/) });
      expect(logged.map((line) => `${line.message} ${JSON.stringify(line.fields)}`).join('\n')).not.toMatch(/[0-9a-f]{16}/);
      expect(await check(pdq(7))).toMatchObject({ verdict: 'allow', matches: [] });
      expect(await check(pdq(1000))).toMatchObject({ verdict: 'allow', matches: [] });
      expect(await check(flip(pdq(5000), 3))).toMatchObject({ verdict: 'review', matches: [{ bank: 'partner', distance: 3 }] });
      expect(await check(flip(pdq(GROWN - 1), 31))).toMatchObject({ verdict: 'review', matches: [{ bank: 'partner', distance: 31 }] });
      expect(await check(flip(pdq(GROWN - 1), 32))).toMatchObject({ verdict: 'allow', matches: [] });
      // recall: every live hash is found, at distance 0, by the lookups the check uses
      const live = [...Array.from({ length: GROWN }, (_, i) => i).filter((i) => i !== 7 && i !== 1000), 5000];
      const found = await Promise.all(live.map((i) => platform.banks.lookupAsync({ pdq: { hash: pdq(i), quality: 90 } })));
      expect(found.filter((hits) => hits.length !== 1 || hits[0].match.distance !== 0).length).toBe(0);
      expect(platform.banks.sizeOf('pdq')).toBe(GROWN - 1);

      // and it keeps following changes in the shards
      await addBankHashes(second, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(6000) } }], 'test');
      await removeBankHashes(second, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(8) } }], 'test');
      await until(async () => (await matched(pdq(6000))) && !(await matched(pdq(8))), 'changes after the move');
    }, 60_000);

    it('moves when a followed feed\'s pages, handed to the index as written, take it past the threshold; a withdrawal meanwhile is honoured', async () => {
      const keys = deriveKeys(randomBytes(32));
      const signer = feedSigner(keys.exchangeSigning);
      await followSource(db.database, keys, systemClock, { name: 'grown', url: 'https://grown.example', apiKey: 'tdk_g', publicKey: signer.publicKey, feedId: signer.feedId, trust: 'review' }, 'test');
      const source = (await followedSources(db.database, keys)).find((s) => s.name === 'grown')!;
      const entry = (seq: number) => ({ seq, id: randomUUID(), signal: 'pdq', hash: pdq(20_000 + seq), value: JSON.stringify({ pdq: pdq(20_000 + seq), pdqQuality: 90 }), status: 'active' as const, changedAt: new Date().toISOString() });
      const page = (after: number, entries: FeedPage['entries']): FeedPage => ({ format: 'takedown-exchange-page/1', feed: signer.feedId, after, through: entries.at(-1)!.seq, head: entries.at(-1)!.seq, nonce: 'g'.repeat(20), entries });
      // a follower of its own, below its threshold at load (the server's index moved already)
      const banks = new BankIndex();
      const follower = new IndexFollower(db.database, banks, new ContentIndex(), { shards: { aboveHashes: GROWN + 300, shardRows: 400 } });
      await follower.load();
      const inFeed = (seq: number) => banks.lookup({ pdq: { hash: pdq(20_000 + seq), quality: 90 } }).filter((h) => h.bankName === 'feed.grown');
      const release = holdShardBuilds();
      try {
        expect(follower.pdqShards).toBe(0);
        const entries = Array.from({ length: 400 }, (_, i) => entry(i + 1));
        expect(await applyVerifiedPage(db.database, systemClock, source, page(0, entries), follower)).toMatchObject({ added: 400, handedOver: true });
        expect(follower.pdqMoving).toBe(true);
        // during: the page's hashes match, a withdrawal and a new hash handed over are applied at once
        expect(inFeed(7)).toHaveLength(1);
        expect(await applyVerifiedPage(db.database, systemClock, source, page(400, [{ ...entries[6], seq: 401, status: 'withdrawn' }, entry(402)]), follower)).toMatchObject({ added: 1, removed: 1, handedOver: true });
        expect(inFeed(7)).toEqual([]);
        expect(inFeed(402)).toHaveLength(1);
        expect(follower.pdqMoving).toBe(true);
      } finally {
        release();
      }
      try {
        await until(() => follower.pdqShards > 0, 'the swap');
        expect(follower.pdqShards).toBe(4);
        expect(inFeed(7)).toEqual([]);
        expect(inFeed(402)).toHaveLength(1);
        for (let seq = 1; seq <= 400; seq++) expect(inFeed(seq)).toHaveLength(seq === 7 ? 0 : 1);
      } finally {
        await follower.close();
      }
    }, 60_000);

    it('loads the bank sharded after a restart', async () => {
      await app.close();
      app = await start();
      const platform = app.services.platform;
      // the partner bank and the followed feed's (400 hashes)
      expect([platform.follower.pdqShards, platform.follower.pdqMoving]).toEqual([4, false]);
      expect(platform.banks.sizeOf('pdq')).toBe(GROWN - 1 + 400);
      expect(await check(pdq(7))).toMatchObject({ verdict: 'allow', matches: [] });
      expect(await check(pdq(8))).toMatchObject({ verdict: 'allow', matches: [] });
      expect(await check(flip(pdq(6000), 2))).toMatchObject({ matches: [{ bank: 'partner', distance: 2 }] });
      expect(await check(pdq(5000))).toMatchObject({ matches: [{ bank: 'partner', distance: 0 }] });
    }, 60_000);
  });
}
