import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { DEFAULT_PLATFORM_CONFIG } from '../../src/config/platform-config.ts';
import { addPlatformKey, revokePlatformKey } from '../../src/services/platform-accounts.ts';
import { backends, type TestDatabase } from '../helpers/backends.ts';
import { multipart, platformTestConfig, testImage } from '../platform-helpers.ts';

// Settings are handed to each app, never looked up by database: two servers on one database (a test, or a
// staging and a canary process) must not share the first one's settings.
describe('two apps on one database', () => {
  let db: TestDatabase;
  let strict: FastifyInstance;
  let lenient: FastifyInstance;

  beforeAll(async () => {
    db = await backends[0].create();
    const { config, keys } = platformTestConfig(db.dataDir);
    const services = { database: db.database, keys, clock: systemClock };
    // Built one after the other on purpose: the second must not find the first one's settings.
    strict = await buildApp({ ...config, platform: { ...DEFAULT_PLATFORM_CONFIG, maxImageBytes: 1024, keyCacheMs: 0 } }, services);
    lenient = await buildApp({ ...config, platform: { ...DEFAULT_PLATFORM_CONFIG, keyCacheMs: 60_000 } }, services);
  });
  afterAll(async () => {
    await strict?.close();
    await lenient?.close();
    await db?.drop();
  });

  it('each uses its own platform settings: upload limit and API key cache', async () => {
    expect(strict.services.platform).not.toBe(lenient.services.platform);
    expect(strict.services.platform.config.maxImageBytes).toBe(1024);
    expect(lenient.services.platform.config.maxImageBytes).toBe(DEFAULT_PLATFORM_CONFIG.maxImageBytes);

    const key = await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test');
    const image = await testImage(5);
    expect(image.length).toBeGreaterThan(1024);
    const check = (app: FastifyInstance) => {
      const form = multipart({}, { bytes: image, type: 'image/jpeg' });
      return app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${key.token}`, ...form.headers }, payload: form.payload });
    };
    const tooLarge = await check(strict);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('file_too_large');
    const checked = await check(lenient);
    expect(checked.statusCode).toBe(200);
    expect(checked.json().verdict).toBe('allow');

    // Each app keeps its own key cache: revoked, the key is refused at once by the app that does not cache,
    // and by the one that caches for a minute as soon as the database announces the change (migration 031).
    expect(strict.services.platform.config.keyCacheMs).toBe(0);
    expect(lenient.services.platform.config.keyCacheMs).toBe(60_000);
    await revokePlatformKey(db.database, systemClock, key.keyId, 'test');
    expect((await check(strict)).statusCode).toBe(401);
    await expect.poll(async () => (await check(lenient)).statusCode).toBe(401);
  });
});
