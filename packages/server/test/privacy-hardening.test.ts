/**
 * Issue 15, item 12: the embedded database's files are for the server's user only, API answers (which may
 * carry decrypted personal data) are never cached, and the docs page has a content security policy.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { buildApp } from '../src/http/app.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { requestBody, testKeys } from './helpers/fixtures.ts';

const PASSWORD = 'correct horse battery staple';

describe('privacy of the data dir and of answers (PGlite)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await backends[0].create();
    const config = loadConfig({}, { dataDir: db.dataDir, logLevel: 'silent' });
    app = await buildApp(config, { database: db.database, keys: testKeys(), clock: systemClock });
    await createStaffUser(db.database, systemClock, { username: 'sam', role: 'senior', password: PASSWORD }, 'test');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('keeps the data dir 0700 and every file in it 0600, the database files included', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody() as object })).statusCode).toBe(201);
    expect(statSync(db.dataDir).mode & 0o777).toBe(0o700);
    const entries = readdirSync(db.dataDir, { withFileTypes: true, recursive: true });
    expect(entries.filter((e) => e.isFile() && e.parentPath.includes('pglite')).length).toBeGreaterThan(100);
    const open = entries
      .map((e) => ({ path: join(e.parentPath, e.name), mode: statSync(join(e.parentPath, e.name)).mode & 0o777, dir: e.isDirectory() }))
      .filter((e) => e.mode !== (e.dir ? 0o700 : 0o600));
    expect(open).toEqual([]);
  });

  it('answers with Cache-Control: no-store wherever personal data may be in the answer', async () => {
    const submitted = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody() as object });
    expect(submitted.headers['cache-control']).toBe('no-store');
    const { caseNumber, pin, items } = submitted.json();
    const status = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}`, headers: { 'takedown-case-pin': pin } });
    expect(status.headers['cache-control']).toBe('no-store');
    const wrongPin = await app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}`, headers: { 'takedown-case-pin': '00000000' } });
    expect(wrongPin.headers['cache-control']).toBe('no-store');
    const login = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'sam', password: PASSWORD } });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    for (const url of ['/v1/review/queue', `/v1/review/items/${items[0].id}`, `/v1/review/items/${items[0].id}/media/preview`]) {
      const response = await app.inject({ method: 'GET', url, headers: { cookie } });
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('serves /docs with a content security policy that allows nothing from elsewhere and no framing', async () => {
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    const policy = String(docs.headers['content-security-policy']);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toMatch(/https:|validator\.swagger\.io|unsafe-inline/);
  });
});
