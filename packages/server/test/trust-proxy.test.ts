import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { requestBody, testKeys } from './helpers/fixtures.ts';

/**
 * Behind a named reverse proxy (TAKEDOWN_TRUST_PROXY=10.0.0.1), X-Forwarded-For is believed only when the
 * proxy sends it: a client talking to the server directly cannot pick its own address with the header, so it
 * cannot escape the sign-in, intake and PIN limits by sending a new address with each try.
 */
describe('X-Forwarded-For from a named proxy only (PGlite)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const PROXY = '10.0.0.1';
  const ATTACKER = '203.0.113.50';
  let forged = 0;
  /** A new made-up address in every request's header. */
  const forgedHeader = () => ({ 'x-forwarded-for': `198.51.100.${(forged += 1) % 250}` });

  beforeAll(async () => {
    db = await backends[0].create();
    const config = loadConfig({ TAKEDOWN_TRUST_PROXY: PROXY }, { dataDir: db.dataDir, logLevel: 'silent', intakeRateLimit: { max: 3, windowMs: 60_000 } });
    app = await buildApp(config, { database: db.database, keys: testKeys(), clock: systemClock });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('counts sign-ins per real address whatever the header says', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const response = await app.inject({ method: 'POST', url: '/v1/staff/login', remoteAddress: ATTACKER, headers: forgedHeader(), payload: { username: 'nobody', password: 'wrong password' } });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('counts public requests per real address whatever the header says', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await app.inject({ method: 'POST', url: '/v1/requests', remoteAddress: ATTACKER, headers: forgedHeader(), payload: requestBody({ contact: { email: `proxy${i}@example.org` } }) as object });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('slows PIN guesses per real address whatever the header says, and per forwarded client behind the proxy', async () => {
    const filed = await app.inject({ method: 'POST', url: '/v1/requests', remoteAddress: '192.0.2.77', payload: requestBody({ contact: { email: 'proxy-pin@example.org' } }) as object });
    const { caseNumber, pin } = filed.json();
    const guess = (thePin: string, remoteAddress: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}`, remoteAddress, headers: { 'takedown-case-pin': thePin, ...headers } });
    for (let i = 0; i < 6; i += 1) expect((await guess(`2222222${i}`, ATTACKER, forgedHeader())).statusCode).toBe(404);
    expect((await guess(pin, ATTACKER, forgedHeader())).statusCode).toBe(429);
    // Through the proxy, each forwarded client is counted on its own: the owner behind it is not kept out.
    for (let i = 0; i < 6; i += 1) expect((await guess(`3333333${i}`, PROXY, { 'x-forwarded-for': '198.51.100.200' })).statusCode).toBe(404);
    expect((await guess(pin, PROXY, { 'x-forwarded-for': '198.51.100.200' })).statusCode).toBe(429);
    expect((await guess(pin, PROXY, { 'x-forwarded-for': '198.51.100.201' })).statusCode).toBe(200);
    // A client that prepends its own address to the proxy's header is still the address the proxy saw.
    expect((await guess(pin, PROXY, { 'x-forwarded-for': '198.51.100.201, 198.51.100.200' })).statusCode).toBe(429);
  });
});
