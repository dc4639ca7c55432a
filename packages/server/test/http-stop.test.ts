/**
 * Stopping the HTTP server closes the connection of every answer it sends meanwhile. A request under way when
 * the stop begins (a follower's long poll, which the stop ends) used to leave its client an open keep-alive
 * connection: `takedown serve` then took 70 s to exit on SIGTERM while a follower's poll was open
 * (exchange-servers.test.ts), Fastify's keep-alive timeout being 72 s.
 */
import type { AddressInfo } from 'node:net';
import { systemClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testKeys } from './helpers/fixtures.ts';

describe('stopping the HTTP server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await backends[0].create();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('closes the connection of an answer sent while stopping, and stops without waiting for the client', async () => {
    const config = loadConfig({}, { dataDir: db.dataDir, logLevel: 'silent' });
    const app = await buildApp(config, { database: db.database, keys: testKeys(), clock: systemClock });
    // A request under way when the stop begins, answered by the stop (as the feed's long poll is).
    let arrived!: () => void;
    const underWay = new Promise<void>((resolve) => (arrived = resolve));
    let stopBegan!: () => void;
    const stopping = new Promise<void>((resolve) => (stopBegan = resolve));
    app.addHook('preClose', async () => stopBegan());
    app.get('/test/held', async () => {
      arrived();
      await stopping;
      return { held: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;

    // A client that keeps its connections open (fetch does).
    const answer = fetch(`http://127.0.0.1:${port}/test/held`).then(async (response) => ({ status: response.status, connection: response.headers.get('connection') ?? undefined, body: await response.text() }));
    await underWay;
    const started = Date.now();
    await app.close();
    const stopMs = Date.now() - started;
    expect(await answer).toEqual({ status: 200, connection: 'close', body: '{"held":true}' });
    expect(stopMs, 'the stop waited on the client').toBeLessThan(10_000);
  });
});
