import { signalTypes, systemClock } from '@takedown/core';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createStaffUser } from '../src/services/staff.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { requestBody } from './helpers/fixtures.ts';
import { multipart, platformTestConfig, testImage } from './platform-helpers.ts';

const PASSWORD = 'correct horse battery staple';

interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/**
 * Bad input on every family of routes, sent as a client would send it: each answer is a 4xx in the error
 * shape, names the field at fault and says in words what to send instead. Never a 500.
 */
describe('HTTP input checks (PGlite)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let staff: { cookie: string; csrf: string };
  let platform: { authorization: string };

  beforeAll(async () => {
    db = await backends[0].create();
    const { config, keys } = platformTestConfig(db.dataDir, { intakeRateLimit: { max: 1000, windowMs: 60_000 } });
    app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    await createStaffUser(db.database, systemClock, { username: 'ada', role: 'admin', password: PASSWORD }, 'test');
    const login = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'ada', password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    staff = { cookie, csrf: login.json().csrfToken };
    platform = { authorization: `Bearer ${(await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test')).token}` };
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** Sends the call and returns its problems, after checking that it is a 400 in the error shape. */
  async function problems(options: InjectOptions): Promise<FieldProblem[]> {
    const response = await app.inject(options);
    expect(response.statusCode, response.body).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('invalid_request');
    expect(error.field).toBe(error.fields[0].field);
    for (const problem of error.fields) expect(problem.message).toMatch(/^\S.{10,}\.$/);
    return error.fields;
  }

  const staffCall = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object): InjectOptions => ({
    method,
    url,
    headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf },
    ...(payload ? { payload } : {}),
  });
  const platformCall = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object): InjectOptions => ({ method, url, headers: platform, ...(payload ? { payload } : {}) });

  it('removal requests: an unknown field, a wrong type, a value outside a choice, a bad hash, each by name', async () => {
    const body = requestBody() as unknown as Record<string, unknown>;
    const found = await problems({
      method: 'POST',
      url: '/v1/requests',
      payload: { ...body, extra: 1, requester: { role: 'someone', fullName: ['Alex'] }, items: [{ url: 'https://p.example/1', hashes: { pdq: 'abc', url: 'https://p.example/1' } }] },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        { field: 'extra', code: 'unknown_field', message: 'extra is not a field we accept; remove it.' },
        { field: 'requester.role', code: 'not_allowed', message: 'requester.role must be one of: self, representative.' },
        { field: 'requester.fullName', code: 'wrong_type', message: 'requester.fullName must be text (a JSON string).' },
        { field: 'items.0.hashes.pdq', code: 'invalid_format', message: 'items.0.hashes.pdq must be 64 hexadecimal characters (0–9, a–f).' },
        // An item's address is its url: its hashes take every signal type's fields but the URL's.
        { field: 'items.0.hashes.url', code: 'unknown_field', message: 'items.0.hashes.url is not a field we accept; remove it.' },
      ]),
    );
    // A rule no schema can say still comes from core, in the same shape: a representative names whom they act for.
    const representative = await problems({ method: 'POST', url: '/v1/requests', payload: { ...body, requester: { role: 'representative', fullName: 'Alex Example' } } });
    expect(representative.map((p) => p.field)).toEqual(['requester.relationship', 'requester.depictedPersonName']);
  });

  it('cases: a list that is not a list, and a malformed item id for a shared copy', async () => {
    const { caseNumber, pin } = (await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody() as object })).json();
    const added = await problems({ method: 'POST', url: `/v1/cases/${caseNumber}/items`, headers: { 'takedown-case-pin': pin }, payload: { items: 'https://p.example/2' } });
    expect(added).toEqual([{ field: 'items', code: 'wrong_type', message: 'items must be a list (a JSON array).' }]);
    const media = await problems({ method: 'POST', url: `/v1/cases/${caseNumber}/items/not-an-id/media`, headers: { 'takedown-case-pin': pin, 'content-type': 'image/png' }, payload: Buffer.from([1, 2, 3]) });
    expect(media[0]).toMatchObject({ field: 'itemId', code: 'invalid_format', message: expect.stringContaining('an id such as') });
  });

  it('staff and review: sign-in fields, queue parameters, item ids and decisions', async () => {
    expect(await problems({ method: 'POST', url: '/v1/staff/login', payload: { username: 7, password: PASSWORD, remember: true } })).toEqual([
      { field: 'remember', code: 'unknown_field', message: 'remember is not a field we accept; remove it.' },
      { field: 'username', code: 'wrong_type', message: 'username must be text (a JSON string).' },
    ]);
    expect(await problems(staffCall('GET', '/v1/review/queue?limit=0&sort=name'))).toEqual([
      { field: 'sort', code: 'unknown_field', message: 'sort is not a field we accept; remove it.' },
      { field: 'limit', code: 'invalid_format', message: 'limit must be a whole number from 1 to 999.' },
    ]);
    expect((await problems(staffCall('GET', '/v1/review/items/42')))[0]).toMatchObject({ field: 'id', code: 'invalid_format' });
    const decision = await problems(staffCall('POST', '/v1/review/items/0b6f7c1e-3c2a-4d5e-9f10-2a3b4c5d6e7f/decision', { decision: 'maybe', reason: 'dislike' }));
    expect(decision).toEqual([
      { field: 'decision', code: 'not_allowed', message: 'decision must be one of: confirm, decline, escalate.' },
      { field: 'reason', code: 'not_allowed', message: expect.stringMatching(/^reason must be one of: not_intimate, .*other\.$/) },
    ]);
  });

  it('audit, reports and banks: query parameters, path parameters and nested fields', async () => {
    expect((await problems(staffCall('GET', '/v1/audit?caseId=TD-1')))[0]).toMatchObject({ field: 'caseId', code: 'invalid_format' });
    expect(await problems(staffCall('GET', '/v1/reports/compliance?from=2026-01-01'))).toEqual([{ field: 'to', code: 'required', message: 'to is required.' }]);
    expect((await problems(staffCall('GET', '/v1/reports/removal-times?from=soon&to=2030-01-01')))[0].field).toBe('from');
    expect(await problems(staffCall('PATCH', '/v1/banks/confirmed', { thresholds: { pdq: { blockBits: '6', fuzzyBits: 3 } } }))).toEqual([
      { field: 'thresholds.pdq.fuzzyBits', code: 'unknown_field', message: 'thresholds.pdq.fuzzyBits is not a field we accept; remove it.' },
      { field: 'thresholds.pdq.blockBits', code: 'wrong_type', message: 'thresholds.pdq.blockBits must be a whole number.' },
    ]);
  });

  it('platform API: upload checks, content, removals and the webhook, each by field', async () => {
    expect(await problems(platformCall('POST', '/v1/check', { pdq: 'F'.repeat(63), pdqQuality: 101, contentId: '' }))).toEqual([
      { field: 'pdq', code: 'invalid_format', message: 'pdq must be 64 hexadecimal characters (0–9, a–f).' },
      { field: 'pdqQuality', code: 'out_of_range', message: 'pdqQuality must be at most 100.' },
      { field: 'contentId', code: 'required', message: 'contentId must not be empty.' },
    ]);
    const frames = await problems(platformCall('POST', '/v1/check', { vpdq: [{ index: 0, timestamp: 0, hash: 'a'.repeat(64), quality: 90, rotation: 90 }], surprise: true }));
    expect(frames.map((p) => p.field)).toEqual(['surprise', 'vpdq.0.rotation']);
    // What a schema cannot say is still checked, in the same shape: frames in order, at least one hash.
    const order = await problems(platformCall('POST', '/v1/check', { vpdq: [{ index: 3, timestamp: 0, hash: 'a'.repeat(64), quality: 90 }, { index: 1, timestamp: 1, hash: 'b'.repeat(64), quality: 90 }] }));
    expect(order[0]).toMatchObject({ field: 'vpdq', message: expect.stringContaining('larger than the previous frame') });
    expect((await problems(platformCall('POST', '/v1/check', {})))[0]).toMatchObject({ field: 'pdq', message: expect.stringContaining('at least one hash') });

    expect(await problems(platformCall('POST', '/v1/content', { url: 'https://pics.example/p/1', md5: 'b'.repeat(32) }))).toEqual([{ field: 'contentId', code: 'required', message: 'contentId is required.' }]);
    // A JSON body with a charset is still checked; NDJSON (which the schema does not check) is for batches only.
    const charset = await app.inject({ method: 'POST', url: '/v1/content', headers: { ...platform, 'content-type': 'application/json; charset=utf-8' }, payload: JSON.stringify({ contentId: 'c9', md5: 'xyz' }) });
    expect(charset.json().error.fields).toEqual([{ field: 'md5', code: 'invalid_format', message: 'md5 must be 32 hexadecimal characters (0–9, a–f).' }]);
    const ndjson = await app.inject({ method: 'POST', url: '/v1/content', headers: { ...platform, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify({ contentId: 'c9', md5: 'xyz' }) });
    expect(ndjson.statusCode).toBe(415);
    // The lines of a backfill are checked by the same schema, in the same words, each by its line number.
    const lines = [{ contentId: 'b1', md5: 'xyz' }, { contentId: 'b2', md5: 'a'.repeat(32), extra: 1 }, { contentId: 'b3', md5: 'c'.repeat(32) }];
    const batch = await app.inject({ method: 'POST', url: '/v1/content/batch', headers: { ...platform, 'content-type': 'application/x-ndjson' }, payload: lines.map((l) => JSON.stringify(l)).join('\n') });
    expect(batch.json()).toMatchObject({
      lines: 3,
      inserted: 1,
      rejected: 2,
      errors: [
        { line: 1, field: 'md5', message: 'md5 must be 32 hexadecimal characters (0–9, a–f).' },
        { line: 2, field: 'extra', message: 'extra is not a field we accept; remove it.' },
      ],
    });
    // A multipart upload's text fields follow the same rules as the JSON form's.
    const image = await testImage(3);
    const longId = multipart({ contentId: 'x'.repeat(257) }, { bytes: image });
    expect(await problems({ method: 'POST', url: '/v1/check', headers: { ...platform, ...longId.headers }, payload: longId.payload })).toEqual([
      { field: 'contentId', code: 'too_long', message: 'contentId can be at most 256 characters; shorten it.' },
    ]);
    const extra = multipart({ contentId: 'post-9', caption: 'hello' }, { bytes: image });
    expect(await problems({ method: 'POST', url: '/v1/content', headers: { ...platform, ...extra.headers }, payload: extra.payload })).toEqual([
      { field: 'caption', code: 'unknown_field', message: 'caption is not a field we accept; remove it.' },
    ]);
    expect((await problems(platformCall('POST', '/v1/items/not-an-id/removed', {})))[0].field).toBe('itemId');
    expect(await problems(platformCall('POST', '/v1/items/0b6f7c1e-3c2a-4d5e-9f10-2a3b4c5d6e7f/removed', { removedAt: 'this morning' }))).toEqual([
      { field: 'removedAt', code: 'invalid_format', message: 'removedAt must be a date and time with a zone, such as 2026-06-01T12:00:00Z.' },
    ]);
    expect(await problems(platformCall('PUT', '/v1/platform/webhook', { url: ['https://pics.example/hook'] }))).toEqual([
      { field: 'url', code: 'wrong_type', message: 'url must be text (a JSON string).' },
    ]);
  });

  it('answers a NUL character in a path or query parameter with a 400 naming it, never a 500', async () => {
    const nul = '%00';
    const calls: [InjectOptions, string][] = [
      [staffCall('GET', `/v1/audit?action=item${nul}`), 'action'],
      [staffCall('GET', `/v1/reports/compliance?from=2026-01-01${nul}&to=2027-01-01`), 'from'],
      [staffCall('GET', `/v1/review/queue?state=pending${nul}`), 'state'],
      [staffCall('PATCH', `/v1/banks/conf${nul}irmed`, { enabled: true }), 'name'],
      [{ method: 'GET', url: `/v1/cases/TD-${nul}`, headers: { 'takedown-case-pin': '12345678' } }, 'caseNumber'],
      [platformCall('DELETE', `/v1/content/post${nul}1`), 'contentId'],
      [staffCall('GET', `/v1/review/items/${nul}`), 'id'],
    ];
    for (const [call, field] of calls) {
      const found = await problems(call);
      expect(found[0].field, call.url as string).toBe(field);
    }
    // A NUL inside a JSON string is refused the same way where the value reaches SQL.
    expect((await problems({ method: 'POST', url: '/v1/staff/login', payload: { username: 'ada\u0000', password: PASSWORD } }))[0]).toMatchObject({
      field: 'username',
      message: 'username must be text without control characters (such as NUL or line breaks).',
    });
    expect((await problems(platformCall('POST', '/v1/content', { contentId: 'c1', mediaType: 'image/jp\u0000g', md5: 'a'.repeat(32) })))[0].field).toBe('mediaType');
    // A reviewer's note may run over several lines, but PostgreSQL cannot store a NUL.
    const decision = staffCall('POST', '/v1/review/items/0b6f7c1e-3c2a-4d5e-9f10-2a3b4c5d6e7f/decision', { decision: 'escalate', note: 'line one\nline two\u0000' });
    expect(await problems(decision)).toEqual([{ field: 'note', code: 'invalid_format', message: 'note must be text without NUL characters.' }]);
  });

  it('names and contact details: control, direction-changing and invisible characters are refused by field', async () => {
    const body = requestBody() as unknown as Record<string, unknown>;
    const found = await problems({
      method: 'POST',
      url: '/v1/requests',
      payload: {
        ...body,
        // A right-to-left override makes a name read backwards in the review console; a zero-width space hides in an address.
        requester: { role: 'representative', fullName: 'Alex \u202Erekab', relationship: 'sister\u0007', depictedPersonName: 'Sam\uFEFF' },
        contact: { email: 'alex\u200B@example.com', phone: '+44 20 7946 0958\u2066' },
        signature: { fullName: 'Alex\u00ADBaker', signedAt: new Date().toISOString(), statement: 'I sign.' },
      },
    });
    const fields = ['requester.fullName', 'requester.relationship', 'requester.depictedPersonName', 'contact.email', 'contact.phone', 'signature.fullName'];
    expect(found.map((p) => p.field).sort()).toEqual([...fields].sort());
    expect(found[0].message).toMatch(/must be visible text only, without control, direction-changing or invisible characters/);
    // Persian and Indic names need the zero-width (non-)joiner between letters: they are accepted there.
    const persian = 'علی\u200Cرضا محمدی';
    const accepted = await app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: { ...body, requester: { role: 'self', fullName: persian }, signature: { fullName: persian, signedAt: new Date().toISOString(), statement: 'I sign.' } },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
  });

  it('lists every API route in the OpenAPI document, with the schemas that check it', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const routes = app.printRoutes({ commonPrefix: false });
    for (const path of ['/v1/requests', '/v1/cases/{caseNumber}/items', '/v1/check', '/v1/content', '/v1/content/batch', '/v1/content/{contentId}', '/v1/items/{itemId}/removed', '/v1/platform/webhook', '/v1/platform/events', '/v1/reports/removal-times']) {
      expect(Object.keys(doc.paths), routes).toContain(path);
    }
    const check = doc.paths['/v1/check'].post.requestBody.content['application/json'].schema;
    // Every registered signal type's fields, from the registry, and the check's own contentId.
    expect(Object.keys(check.properties)).toEqual([...signalTypes.fields(), 'contentId']);
    expect(signalTypes.fields()).toEqual(expect.arrayContaining(['pdq', 'pdqQuality', 'pdqVariants', 'md5', 'sha256', 'vpdq']));
    expect(check.additionalProperties).toBe(false);
    // The same hash fields, from the same function, on every route that takes them.
    const item = doc.paths['/v1/requests'].post.requestBody.content['application/json'].schema.properties.items.items;
    expect(item.properties.hashes.properties.pdq).toEqual(check.properties.pdq);
    const content = doc.paths['/v1/content'].post.requestBody.content['application/json'].schema;
    expect(content.properties.vpdq).toEqual(check.properties.vpdq);
    expect(doc.paths['/v1/review/queue'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['state', 'limit', 'offset']));
  });
});
