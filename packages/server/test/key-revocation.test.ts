import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '@takedown/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresDatabase } from '@takedown/testing/databases';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.ts';
import { KeyCache, keyCacheOf } from '../src/http/routes/platform-key-auth.ts';
import { PLATFORM_KEYS_CHANNEL } from '../src/store/migrations/031-platform-key-notify.ts';
import { addPlatformKey, revokePlatformKey, type PlatformKeyInfo } from '../src/services/platform-accounts.ts';
import { openDatabase, type OpenDatabase } from '../src/store/database.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { runCli } from './helpers/run-cli.ts';
import { platformTestConfig } from './platform-helpers.ts';
import { freePort, startServer, stopServer, type ServerProcess } from './helpers/server-process.ts';

describe('the key cache', () => {
  const info: PlatformKeyInfo = { platformId: 'p', platformName: 'pics', keyId: 'k', scopes: ['check'] };

  it('forgets every key at a change, and keeps no answer the database gave before it', () => {
    const cache = new KeyCache(30_000);
    cache.set('tdk_a', info, 0, cache.generation);
    expect(cache.get('tdk_a', 1)).toEqual(info);
    // a lookup starts, a revocation is heard, the lookup's (older) answer arrives
    const before = cache.generation;
    cache.clear();
    expect(cache.get('tdk_a', 1)).toBeNull();
    cache.set('tdk_a', info, 1, before);
    expect(cache.get('tdk_a', 2)).toBeNull();
    cache.set('tdk_a', info, 2, cache.generation);
    expect(cache.get('tdk_a', 3)).toEqual(info);
    // without news of changes it keeps nothing
    cache.stopKeeping();
    cache.set('tdk_a', info, 4, cache.generation);
    expect(cache.get('tdk_a', 5)).toBeNull();
    // news of changes again: it keeps keys, but no answer from before
    const whileDeaf = cache.generation;
    cache.resumeKeeping();
    cache.set('tdk_a', info, 6, whileDeaf);
    expect(cache.get('tdk_a', 7)).toBeNull();
    cache.set('tdk_a', info, 8, cache.generation);
    expect(cache.get('tdk_a', 9)).toEqual(info);
  });
});

for (const backend of backends) {
  describe(`a key revoked in the server's own process (${backend.name})`, () => {
    let db: TestDatabase;
    let app: FastifyInstance;
    beforeAll(async () => {
      db = await backend.create();
      const { config, keys } = platformTestConfig(db.dataDir);
      app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    });
    afterAll(async () => {
      await app?.close();
      await db?.drop();
    });

    it('is refused at the next request, though the cache would keep it 30 s', async () => {
      const { token, keyId } = await addPlatformKey(db.database, systemClock, { name: 'pics', scopes: ['check'] }, 'test');
      const check = () => app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${token}` }, payload: { pdq: randomBytes(32).toString('hex'), pdqQuality: 90 } });
      expect((await check()).statusCode).toBe(200);
      expect(await revokePlatformKey(db.database, systemClock, keyId, 'test')).toBe(true);
      const started = Date.now();
      while ((await check()).statusCode !== 401 && Date.now() - started < 5_000) await sleep(10);
      expect(Date.now() - started).toBeLessThan(1_000);
    });
  });
}

describe('the key cache after its listening connection to PostgreSQL is killed', () => {
  const postgres = backends.find((b) => b.name === 'postgres')!;
  let db: TestDatabase;
  let app: FastifyInstance;
  let cache: KeyCache;
  const logged = { warn: [] as unknown[][], info: [] as unknown[][] };

  beforeAll(async () => {
    db = await postgres.create();
    const { config, keys } = platformTestConfig(db.dataDir);
    app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    await app.ready();
    cache = await keyCacheOf(app);
    vi.spyOn(app.log, 'warn').mockImplementation((...args: unknown[]) => void logged.warn.push(args));
    vi.spyOn(app.log, 'info').mockImplementation((...args: unknown[]) => void logged.info.push(args));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const check = (token: string) => app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${token}` }, payload: { pdq: randomBytes(32).toString('hex'), pdqQuality: 90 } });
  /** Whether a check with this key leaves it in the cache (the cache keeps keys). */
  const kept = async (token: string) => {
    expect((await check(token)).statusCode).toBe(200);
    return cache.get(token, Date.now()) !== null;
  };
  /** The backends listening for key changes on this test's database. */
  const listeners = async () => {
    const found = await db.database.transaction((tx) =>
      sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query = ${`listen "${PLATFORM_KEYS_CHANNEL}"`}`.execute(tx),
    );
    return found.rows.map((r) => r.pid);
  };
  /** Polls `probe` every 10 ms until it holds; fails after 5 s. */
  const until = async (probe: () => Promise<boolean> | boolean) => {
    const started = Date.now();
    while (!(await probe())) {
      if (Date.now() - started > 5_000) throw new Error('not within 5 s');
      await sleep(10);
    }
  };
  const lines = (calls: unknown[][], text: string) => calls.filter((args) => args.some((a) => typeof a === 'string' && a.includes(text)));

  it('keeps nothing while not listening, refuses a key revoked meanwhile, and keeps keys again once it listens again', async () => {
    const a = await addPlatformKey(db.database, systemClock, { name: 'pics', scopes: ['check'] }, 'test');
    const b = await addPlatformKey(db.database, systemClock, { name: 'clips', scopes: ['check'] }, 'test');
    // (the notifications of the two additions empty the cache when they arrive, a moment after the commits)
    await until(() => kept(a.token));
    const [listener] = await listeners();
    expect(listener).toBeDefined();

    // The listening backend is killed (an operator, an idle timeout, a failover).
    await db.database.transaction((tx) => sql`select pg_terminate_backend(${listener}::int)`.execute(tx));
    const started = Date.now();
    await until(() => lines(logged.warn, 'not heard').length > 0);
    // Nothing kept while nothing is heard: a key revoked now is refused at its next request.
    expect(await kept(b.token)).toBe(false);
    expect(await revokePlatformKey(db.database, systemClock, a.keyId, 'test')).toBe(true);
    expect((await check(a.token)).statusCode).toBe(401);

    // Listening again after the first pause (1 s), on a new connection; keys are kept again.
    await until(() => lines(logged.info, 'heard again').length > 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const [again] = await listeners();
    expect(again).toBeDefined();
    expect(again).not.toBe(listener);
    expect(await kept(b.token)).toBe(true);
    // A revocation is heard on the new connection: the kept key is refused within 1 s.
    expect(await revokePlatformKey(db.database, systemClock, b.keyId, 'test')).toBe(true);
    const revokedAt = Date.now();
    while ((await check(b.token)).statusCode !== 401 && Date.now() - revokedAt < 5_000) await sleep(10);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    // One line each way, and no key in them.
    expect(lines(logged.warn, 'not heard')).toHaveLength(1);
    expect(lines(logged.info, 'heard again')).toHaveLength(1);
    expect(JSON.stringify([...lines(logged.warn, 'not heard'), ...lines(logged.info, 'heard again')])).not.toContain('tdk_');
  }, 30_000);
});

describe('a key revoked while two servers run on one PostgreSQL', () => {
  const cleanup: (() => Promise<void>)[] = [];
  let env: Record<string, string | undefined>;
  let database: OpenDatabase;
  let servers: ServerProcess[];

  const check = (server: ServerProcess, token: string) =>
    fetch(`${server.baseUrl}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ pdq: randomBytes(32).toString('hex'), pdqQuality: 90 }) });
  const identity = (server: ServerProcess, token: string) => fetch(`${server.baseUrl}/v1/exchange/identity`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    cleanup.push(() => created.drop());
    const dataDir = mkdtempSync(join(tmpdir(), 'takedown-revocation-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    // The default cache life (30 s): only the notification can make a revocation reach the other server in time.
    env = { ...process.env, DATABASE_URL: created.url, TAKEDOWN_SECRET_KEY: randomBytes(32).toString('base64'), TAKEDOWN_DATA_DIR: dataDir, TAKEDOWN_LOG_LEVEL: 'warn', TAKEDOWN_KEY_CACHE_MS: undefined };
    servers = await Promise.all([freePort(), freePort()].map(async (port) => startServer(env, await port)));
    cleanup.push(async () => void (await Promise.all(servers.map((s) => stopServer(s, 'SIGKILL')))));
    database = await openDatabase({ databaseUrl: created.url, dataDir });
    cleanup.push(() => database.close());
  }, 240_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('is refused by both within 1 s of `takedown platform revoke`, on the check and the exchange routes', async () => {
    const { token, keyId } = await addPlatformKey(database, systemClock, { name: 'pics', scopes: ['check', 'exchange'] }, 'test');
    const other = (await addPlatformKey(database, systemClock, { name: 'other', scopes: ['check'] }, 'test')).token;
    // Each server has verified (and cached) the keys.
    for (const server of servers) {
      expect((await check(server, token)).status).toBe(200);
      expect((await identity(server, token)).status).toBe(200);
      expect((await check(server, other)).status).toBe(200);
    }
    const revoked = await runCli(['platform', 'revoke', keyId], { env });
    expect(revoked.code, revoked.stderr).toBe(0);
    const started = Date.now();
    const refusedAt = await Promise.all(
      servers.map(async (server) => {
        while ((await check(server, token)).status !== 401 && Date.now() - started < 10_000) await sleep(20);
        return Date.now() - started;
      }),
    );
    for (const ms of refusedAt) expect(ms).toBeLessThan(1_000);
    for (const server of servers) {
      expect((await identity(server, token)).status).toBe(401);
      // another platform's key goes on working
      expect((await check(server, other)).status).toBe(200);
    }
  }, 60_000);
});
