import { createHash } from 'node:crypto';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_CONFIG } from '../src/config/platform-config.ts';
import { buildApp } from '../src/http/app.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { PlatformRuntime } from '../src/services/platform-runtime.ts';
import { addBankHashes, ensureBank, removeBankHashes } from '../src/services/platform-banks.ts';
import { openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { checkPdq, platformTestConfig } from './platform-helpers.ts';

/** A random-looking PDQ hash for a seed (independent hashes are ~128 bits apart). */
const pdq = (seed: number) => createHash('sha256').update(`sharded ${seed}`).digest('hex');
const flip = (hash: string, bits: number) => (BigInt(`0x${hash}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(64, '0');

const BANKED = 1100;
// tiny shards so that a bank of 1 100 hashes is cut into 3 of them, each in its worker thread
const SHARDS = { aboveHashes: 1000, shardRows: 400 };

for (const backend of backends) {
  describe(`a bank served by the sharded PDQ index (${backend.name})`, () => {
    let db: TestDatabase;
    let app: FastifyInstance;
    let token: string;
    const start = async () => {
      const { config, keys } = platformTestConfig(db.dataDir, { platform: { ...DEFAULT_PLATFORM_CONFIG, indexSyncMs: 100, matchShards: SHARDS } });
      // loaded before the app is built, as `takedown serve` does (a shard thread's start may take seconds)
      const platform = new PlatformRuntime(db.database, config.platform);
      await platform.load();
      return buildApp(config, { database: db.database, keys, clock: systemClock, platform });
    };
    const check = (hash: string) => checkPdq(app, token, hash);

    beforeAll(async () => {
      db = await backend.create();
      await ensureBank(db.database, systemClock, 'partner', 'test');
      await addBankHashes(db.database, systemClock, 'partner', Array.from({ length: BANKED }, (_, i) => ({ signal: 'pdq', value: { hash: pdq(i) } })), 'test');
      token = (await addPlatformKey(db.database, systemClock, { name: 'pics', scopes: ['check'] }, 'test')).token;
      app = await start();
      // creating and migrating an embedded database takes a minute on a loaded machine
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await db?.drop();
    });

    it('loads the bank into shards and answers checks as one index would', async () => {
      const platform = app.services.platform;
      expect(platform.ready).toBe(true);
      expect(platform.follower.pdqShards).toBe(3);
      expect(platform.banks.sizeOf('pdq')).toBe(BANKED);
      expect(await check(flip(pdq(7), 5))).toMatchObject({ verdict: 'review', matches: [{ bank: 'partner', distance: 5 }] });
      expect(await check(flip(pdq(1099), 31))).toMatchObject({ verdict: 'review', matches: [{ bank: 'partner', distance: 31 }] });
      expect(await check(flip(pdq(1099), 32))).toMatchObject({ verdict: 'allow', matches: [] });
      expect(await check(pdq(BANKED + 1))).toMatchObject({ verdict: 'allow', matches: [] });
    });

    it('answers checks asked at once each with its own matches (their lookups travel to the shards together)', async () => {
      const asked = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? { hash: flip(pdq(i * 20), i % 32), distance: i % 32 } : { hash: pdq(BANKED + i), distance: undefined }));
      const answers = await Promise.all(asked.map(({ hash }) => check(hash)));
      answers.forEach((answer, i) => {
        const { distance } = asked[i];
        if (distance === undefined) expect(answer).toMatchObject({ verdict: 'allow', matches: [] });
        else expect(answer).toMatchObject({ verdict: 'review', matches: [{ bank: 'partner', distance }] });
      });
      // an image's variants (rotated and mirrored copies): the banked hash is found under whichever is near
      const variants = await app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${token}` }, payload: { pdq: pdq(BANKED + 50), pdqQuality: 90, pdqVariants: [pdq(BANKED + 51), flip(pdq(300), 4)] } });
      expect(variants.json()).toMatchObject({ verdict: 'review', matches: [{ bank: 'partner', distance: 4 }] });
    });

    it('matches a hash another replica adds within 1 s, and stops matching what is removed', async () => {
      const second: OpenDatabase = db.databaseUrl ? await openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }) : db.database;
      try {
        const added = pdq(5000);
        const started = Date.now();
        await addBankHashes(second, systemClock, 'partner', [{ signal: 'pdq', value: { hash: added } }], 'test');
        while ((await check(added)).matches.length === 0 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(await check(flip(added, 3))).toMatchObject({ matches: [{ bank: 'partner', distance: 3 }] });

        // a hash of the built bank and the one just added: each remove goes to the shard holding it
        await removeBankHashes(second, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(7) } }, { signal: 'pdq', value: { hash: added } }], 'test');
        const removing = Date.now();
        while ((await check(pdq(7))).matches.length > 0 && Date.now() - removing < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await check(pdq(7))).toMatchObject({ verdict: 'allow', matches: [] });
        expect(await check(added)).toMatchObject({ verdict: 'allow', matches: [] });
        expect(await check(pdq(8))).toMatchObject({ matches: [{ distance: 0 }] });
        expect(app.services.platform.banks.sizeOf('pdq')).toBe(BANKED - 1);
      } finally {
        if (second !== db.database) await second.close();
      }
    }, 30_000);

    it('comes back the same after a restart', async () => {
      await app.close();
      await addBankHashes(db.database, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(6000) } }], 'test');
      app = await start();
      expect(app.services.platform.follower.pdqShards).toBe(3);
      expect(app.services.platform.banks.sizeOf('pdq')).toBe(BANKED);
      expect(await check(pdq(7))).toMatchObject({ verdict: 'allow', matches: [] });
      expect(await check(pdq(5000))).toMatchObject({ verdict: 'allow', matches: [] });
      expect(await check(flip(pdq(6000), 2))).toMatchObject({ matches: [{ bank: 'partner', distance: 2 }] });
      expect(await check(pdq(1000))).toMatchObject({ matches: [{ bank: 'partner', distance: 0 }] });
    }, 60_000);

    it('loads and shards again when the same runtime is opened after its last user closed it', async () => {
      const platform = app.services.platform;
      const { config, keys } = platformTestConfig(db.dataDir, { platform: platform.config });
      await app.close();
      expect(platform.ready).toBe(false);
      // changed while nobody had the runtime open
      await addBankHashes(db.database, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(7000) } }], 'test');
      await removeBankHashes(db.database, systemClock, 'partner', [{ signal: 'pdq', value: { hash: pdq(1000) } }], 'test');
      app = await buildApp(config, { database: db.database, keys, clock: systemClock, platform });
      expect(app.services.platform).toBe(platform);
      expect(platform.ready).toBe(true);
      expect(platform.follower.pdqShards).toBe(3);
      expect(platform.banks.sizeOf('pdq')).toBe(BANKED);
      expect(await check(flip(pdq(7000), 4))).toMatchObject({ matches: [{ bank: 'partner', distance: 4 }] });
      expect(await check(pdq(1000))).toMatchObject({ verdict: 'allow', matches: [] });
      expect(await check(flip(pdq(1099), 31))).toMatchObject({ matches: [{ bank: 'partner', distance: 31 }] });
      // and it follows changes again
      const added = pdq(8000);
      await addBankHashes(db.database, systemClock, 'partner', [{ signal: 'pdq', value: { hash: added } }], 'test');
      const started = Date.now();
      while ((await check(added)).matches.length === 0 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(Date.now() - started).toBeLessThan(1_000);
    }, 60_000);
  });
}
