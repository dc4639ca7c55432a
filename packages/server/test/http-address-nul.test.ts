import { randomUUID } from 'node:crypto';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { platformTestConfig } from './platform-helpers.ts';

interface Parameter {
  in: string;
  name: string;
  schema?: { format?: string };
}
interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
}

/**
 * Every route of the OpenAPI document, called with a NUL character (%00) in each of its path and query
 * parameters, and in a query parameter it does not declare: each answer is a 400 that names the parameter,
 * never a 500. The caller signs in as staff, a platform and a requester at once, so a route that let the NUL
 * through would reach its handler.
 */
describe('NUL in a path or query parameter (PGlite)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let headers: Record<string, string>;

  beforeAll(async () => {
    db = await backends[0].create();
    const { config, keys } = platformTestConfig(db.dataDir);
    app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    const password = 'correct horse battery staple';
    await createStaffUser(db.database, systemClock, { username: 'ada', role: 'admin', password }, 'test');
    const login = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'ada', password } });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const { token } = await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test');
    headers = { cookie, 'x-csrf-token': login.json().csrfToken, authorization: `Bearer ${token}`, 'takedown-case-pin': '123456' };
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** The calls to make: per route, one per parameter, with that parameter holding a NUL and the others valid. */
  function calls(document: OpenApi) {
    const made: { method: string; url: string; parameter: string }[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const parameters = (operation.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query');
        const valid = (p: Parameter) => (p.schema?.format === 'uuid' ? randomUUID() : 'x');
        const address = (nul?: Parameter) =>
          path.replace(/\{(\w+)\}/g, (_, name: string) => {
            const parameter = parameters.find((p) => p.in === 'path' && p.name === name)!;
            return parameter === nul ? 'x%00y' : valid(parameter);
          });
        for (const parameter of parameters) {
          const query = parameter.in === 'query' ? `?${parameter.name}=%00x` : '';
          made.push({ method: method.toUpperCase(), url: address(parameter) + query, parameter: parameter.name });
        }
        made.push({ method: method.toUpperCase(), url: `${address()}?undeclared=x%00`, parameter: 'undeclared' });
      }
    }
    return made;
  }

  it('is a 400 naming the parameter on every route', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApi;
    const all = calls(document);
    expect(all.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const call of all) {
      const withBody = ['POST', 'PUT', 'PATCH'].includes(call.method);
      const response = await app.inject({ method: call.method as 'GET', url: call.url, headers, ...(withBody ? { payload: {} } : {}) });
      const error = response.json().error as { field?: string; message?: string } | undefined;
      if (response.statusCode !== 400 || error?.field !== call.parameter || !error.message?.includes(call.parameter)) {
        wrong.push(`${call.method} ${call.url} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a page route and a parameter name are refused too', async () => {
    const page = await app.inject({ method: 'GET', url: '/review/cases%00' });
    expect(page.statusCode).toBe(400);
    expect(page.json().error).toMatchObject({ field: 'path', message: 'The address must not hold a NUL character (%00); remove it.' });
    const name = await app.inject({ method: 'GET', url: '/v1/banks?a%00=1', headers });
    expect(name.statusCode).toBe(400);
    expect(name.json().error.field).toBe('query');
  });
});
