import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createWorker } from '../src/jobs/handlers.ts';
import type { ServerJobs } from '../src/jobs/server-jobs.ts';
import { hashImageBytes } from '../src/media/hash-image.ts';
import { DEFAULT_PLATFORM_CONFIG } from '../src/config/platform-config.ts';
import { addPlatformKey, setWebhook } from '../src/services/platform-accounts.ts';
import { addBankHashes, ensureBank, updateBank } from '../src/services/platform-banks.ts';
import { changePlatformHosts } from '../src/services/platform-hosts.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { bombPng, confirmItem, fileRequest, multipart, platformTestConfig, testImage, vectorPhoto } from './platform-helpers.ts';

describe('platform API (PGlite)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let worker: ServerJobs;
  let token: string;
  let checkOnly: string;
  let other: string;
  let picsId: string;
  let keys: ReturnType<typeof platformTestConfig>['keys'];
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    db = await backends[0].create();
    const test = platformTestConfig(db.dataDir, { platform: { ...DEFAULT_PLATFORM_CONFIG, indexSyncMs: 100, maxImagePixels: 4_000_000, maxImageBytes: 2 * 1024 * 1024 } });
    const config = test.config;
    keys = test.keys;
    app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    worker = createWorker({ config, database: db.database, clock: systemClock, keys, platform: app.services.platform });
    const pics = await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test');
    token = pics.token;
    picsId = pics.platformId;
    await setWebhook(db.database, keys, systemClock, pics.platformId, 'https://pics.example/takedown-events', 'test');
    // Requests name addresses on pics.example: they are this platform's to remove.
    await changePlatformHosts(db.database, systemClock, pics.platformId, { add: ['pics.example'] }, 'test');
    checkOnly = (await addPlatformKey(db.database, systemClock, { name: 'pics', scopes: ['check'] }, 'test')).token;
    other = (await addPlatformKey(db.database, systemClock, { name: 'other' }, 'test')).token;
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await db?.drop();
  });

  it('turns away a request without a valid key before reading its body, and before checking it', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    for (const [url, headers] of [['/v1/check', {}], ['/v1/content', { authorization: 'Bearer tdk_AAAAAAAAAAAA_' + 'A'.repeat(43) }]] as const) {
      // Announces 30 MB and sends none of it: the answer must come from the headers alone.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: url, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(30 * 1024 * 1024) } }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => {
            request.destroy(); // the announced body is never sent: drop the connection, or closing the app waits for it
            resolve({ status: response.statusCode ?? 0, body });
          });
        });
        request.on('error', reject);
        request.flushHeaders();
        setTimeout(() => reject(new Error(`${url}: no answer before the body was sent`)), 5_000).unref();
      });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body).error.code).toMatch(/^api_key_(required|invalid)$/);
    }
    // A bad body without a key is a 401 too, not a list of the body's faults.
    expect((await app.inject({ method: 'POST', url: '/v1/check', payload: { pdq: 'xyz', surprise: 1 } })).statusCode).toBe(401);
  });

  it('refuses a webhook URL that points inside the network, or is not https, with a 400 naming why', async () => {
    const refused = [
      ['https://169.254.169.254/latest/meta-data/', /link-local.*metadata/],
      ['https://[fd00:ec2::254]/', /unique-local/],
      ['https://127.0.0.1:8080/hooks', /loopback/],
      ['https://localhost/hooks', /host localhost resolves to a loopback address/],
      ['https://10.1.2.3/hooks', /private network/],
      ['https://[::ffff:192.168.0.1]/hooks', /private network/],
      ['https://100.64.0.9/hooks', /carrier-grade NAT/],
      ['http://pics.example/hooks', /must start with https:\/\//],
      ['https://user:secret@pics.example/hooks', /no user name or password/],
    ] as const;
    for (const [url, reason] of refused) {
      const response = await app.inject({ method: 'PUT', url: '/v1/platform/webhook', headers: auth(token), payload: { url } });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error, url).toMatchObject({ code: 'invalid_request', field: 'url', message: expect.stringMatching(reason) });
    }
    // Nothing changed: the endpoint set at the start is still the platform's.
    const platforms = await db.database.transaction((tx) => tx.selectFrom('platforms').select('webhook_url').where('id', '=', picsId).execute());
    expect(platforms[0].webhook_url).toBe('https://pics.example/takedown-events');
  });

  it('answers 401 without a key or with a wrong one, and 403 without the scope', async () => {
    const none = await app.inject({ method: 'POST', url: '/v1/check', payload: { md5: 'a'.repeat(32) } });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('api_key_required');
    const wrong = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(token.slice(0, -2) + 'xx'), payload: { md5: 'a'.repeat(32) } });
    expect(wrong.statusCode).toBe(401);
    const scoped = await app.inject({ method: 'POST', url: '/v1/content', headers: auth(checkOnly), payload: { contentId: 'x', md5: 'a'.repeat(32) } });
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json().error.message).toContain('"content" scope');
    const ok = await app.inject({ method: 'POST', url: '/v1/check', headers: auth(checkOnly), payload: { md5: 'a'.repeat(32) } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ verdict: 'allow', matches: [] });
  });

  it('registers content from hashes and from image bytes, idempotently, and deletes it', async () => {
    const entry = { contentId: 'post-1', url: 'https://pics.example/p/1', pdq: 'f'.repeat(64), pdqQuality: 90, md5: 'b'.repeat(32) };
    const first = await app.inject({ method: 'POST', url: '/v1/content', headers: auth(token), payload: entry });
    expect(first.json()).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const again = await app.inject({ method: 'POST', url: '/v1/content', headers: auth(token), payload: entry });
    expect(again.json()).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    const changed = await app.inject({ method: 'POST', url: '/v1/content', headers: auth(token), payload: { ...entry, md5: 'c'.repeat(32) } });
    expect(changed.json()).toEqual({ inserted: 0, updated: 1, unchanged: 0 });

    const image = await testImage(1);
    const form = multipart({ contentId: 'post-2', url: 'https://pics.example/p/2' }, { bytes: image });
    const uploaded = await app.inject({ method: 'POST', url: '/v1/content', headers: { ...auth(token), ...form.headers }, payload: form.payload });
    expect(uploaded.statusCode).toBe(200);
    const row = await db.database.db.selectFrom('platform_content').selectAll().where('content_id', '=', 'post-2').executeTakeFirstOrThrow();
    const expected = await hashImageBytes(image, { dihedral: true });
    const stored = JSON.parse(row.signals) as { pdq: string; pdqQuality: number; pdqVariants: string[]; md5: string; sha256: string };
    expect(stored).toMatchObject({ pdq: expected.pdq, pdqQuality: expected.quality, md5: expected.md5, sha256: expected.sha256 });
    expect(stored.pdqVariants.length).toBeGreaterThanOrEqual(3);
    // Nothing of the image is kept: only hashes are stored.
    expect(JSON.stringify(row)).not.toContain(image.subarray(100, 140).toString('base64'));

    // A generic part type (what browsers send for unknown files) is fine: the bytes say what they are.
    const generic = multipart({ contentId: 'post-3' }, { bytes: await testImage(2, { format: 'png' }), type: 'application/octet-stream' });
    expect((await app.inject({ method: 'POST', url: '/v1/content', headers: { ...auth(token), ...generic.headers }, payload: generic.payload })).json()).toEqual({ inserted: 1, updated: 0, unchanged: 0 });

    const bad = await app.inject({ method: 'POST', url: '/v1/content', headers: auth(token), payload: { contentId: '', pdq: 'nothex', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['contentId', 'extra', 'pdq']);

    const deleted = await app.inject({ method: 'DELETE', url: '/v1/content/post-1', headers: auth(token) });
    expect(deleted.json()).toEqual({ deleted: true });
    expect((await app.inject({ method: 'DELETE', url: '/v1/content/post-1', headers: auth(token) })).statusCode).toBe(404);
    // Another platform cannot touch this platform's content.
    expect((await app.inject({ method: 'DELETE', url: '/v1/content/post-2', headers: auth(other) })).statusCode).toBe(404);
  });

  it('takes streamed NDJSON backfills, reports bad lines by number, and is idempotent on content id', async () => {
    const lines = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ contentId: `bulk-${i}`, md5: i.toString(16).padStart(32, '0') }));
    lines.splice(10, 0, '{not json', JSON.stringify({ contentId: 'bulk-bad', md5: 'xyz' }));
    const body = lines.join('\n') + '\n';
    const send = () => app.inject({ method: 'POST', url: '/v1/content/batch', headers: { ...auth(token), 'content-type': 'application/x-ndjson' }, payload: body });
    const first = (await send()).json();
    expect(first).toMatchObject({ lines: 2502, inserted: 2500, updated: 0, unchanged: 0, rejected: 2 });
    expect(first.errors.map((e: { line: number }) => e.line)).toEqual([11, 12]);
    const second = (await send()).json();
    expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: 2500, rejected: 2 });
    const count = await db.database.db.selectFrom('platform_content').select((eb) => eb.fn.countAll<string>().as('n')).where('content_id', 'like', 'bulk-%').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2500);
  });

  it('blocks re-uploads of a confirmed item (bytes, re-encoded, rotated), reviews near matches, allows the rest', async () => {
    const original = vectorPhoto();
    const hashes = await hashImageBytes(original);
    const submitted = await fileRequest(db.database, (app.services.keys), [{ url: 'https://pics.example/p/42', hashes: { pdq: hashes.pdq, pdqQuality: hashes.quality, md5: hashes.md5, sha256: hashes.sha256 } }]);
    const itemId = submitted.items[0].id;
    const check = async (payload: object | Buffer, headers: Record<string, string> = {}) => {
      const response = await app.inject({ method: 'POST', url: '/v1/check', headers: { ...auth(token), ...headers }, payload });
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    // Pending items never block: only a reviewer's confirmation makes a hash blocking.
    expect((await check({ pdq: hashes.pdq, pdqQuality: hashes.quality })).verdict).toBe('allow');
    await confirmItem(db.database, itemId);
    await worker.drain();
    await app.services.platform.sync();

    const exact = await check({ sha256: hashes.sha256 });
    expect(exact).toMatchObject({ verdict: 'block', matches: [{ bank: 'confirmed', itemId, distance: 0, signal: 'sha256' }] });
    expect(exact.reason).not.toMatch(/request|case|TD-/i);

    const reencoded = multipart({}, { bytes: await sharp(original).jpeg({ quality: 60 }).toBuffer() });
    const viaBytes = await check(reencoded.payload, reencoded.headers);
    expect(viaBytes.verdict).toBe('block');
    expect(viaBytes.matches[0]).toMatchObject({ signal: 'pdq', itemId });
    expect(viaBytes.matches[0].distance).toBeLessThanOrEqual(10);

    const rotated = multipart({}, { bytes: await sharp(original).rotate(90).png().toBuffer(), type: 'image/png' });
    expect((await check(rotated.payload, rotated.headers)).verdict).toBe('block');

    const near = flipBits(hashes.pdq, 20);
    const review = await check({ pdq: near, pdqQuality: 90, contentId: 'upload-77' });
    expect(review).toMatchObject({ verdict: 'review', matches: [{ distance: 20, itemId }] });
    const event = await db.database.db.selectFrom('platform_events').selectAll().where('type', '=', 'check.review').executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ type: 'check.review', data: { contentId: 'upload-77' } });

    // Quality under 50 never blocks, even on an identical PDQ hash.
    expect((await check({ pdq: hashes.pdq, pdqQuality: 49 })).verdict).toBe('review');
    expect((await check({ pdq: flipBits(hashes.pdq, 40), pdqQuality: 90 })).verdict).toBe('allow');

    // Per-bank thresholds are configurable: with PDQ blocking off, the same re-upload goes to review.
    await updateBank(db.database, systemClock, 'confirmed', { thresholds: { pdq: { blockBits: -1 } } }, 'test');
    await app.services.platform.sync();
    expect((await check({ pdq: hashes.pdq, pdqQuality: hashes.quality })).verdict).toBe('review');
    await updateBank(db.database, systemClock, 'confirmed', { thresholds: { pdq: { blockBits: 10 } } }, 'test');
    await app.services.platform.sync();
  });

  it('makes hashes imported into a bank matchable within 1 s, and drops them when the bank is disabled', async () => {
    const pdq = (await hashImageBytes(await testImage(7))).pdq;
    await ensureBank(db.database, systemClock, 'partner-list', 'test');
    const started = Date.now();
    // Written directly to the database (as the CLI or another replica would): the follower must pick it up.
    await addBankHashes(db.database, systemClock, 'partner-list', [{ signal: 'pdq', value: { hash: pdq } }], 'test');
    let verdict = 'allow';
    while (verdict === 'allow' && Date.now() - started < 1000) {
      verdict = (await app.inject({ method: 'POST', url: '/v1/check', headers: auth(token), payload: { pdq, pdqQuality: 90 } })).json().verdict;
      if (verdict === 'allow') await new Promise((r) => setTimeout(r, 20));
    }
    expect(verdict).toBe('review'); // imported lists never block on their own
    expect(Date.now() - started).toBeLessThan(1000);
    await updateBank(db.database, systemClock, 'partner-list', { enabled: false }, 'test');
    await app.services.platform.sync();
    expect((await app.inject({ method: 'POST', url: '/v1/check', headers: auth(token), payload: { pdq, pdqQuality: 90 } })).json().verdict).toBe('allow');
  });

  it('answers 415 / 413 / 422 for uploads that are not images, too large, or damaged', async () => {
    const send = async (bytes: Buffer, type = 'image/jpeg') => {
      const form = multipart({}, { bytes, type });
      return app.inject({ method: 'POST', url: '/v1/check', headers: { ...auth(token), ...form.headers }, payload: form.payload });
    };
    const text = await send(Buffer.from('hello, this is not an image'));
    expect(text.statusCode).toBe(415);
    expect(text.json().error).toMatchObject({ code: 'not_an_image', field: 'file' });
    const bomb = await send(bombPng(), 'image/png');
    expect(bomb.statusCode).toBe(413);
    expect(bomb.json().error.code).toBe('image_too_large');
    const jpeg = await testImage(3);
    const cut = await send(jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    expect(cut.statusCode).toBe(422);
    expect(cut.json().error.code).toBe('image_corrupt');
    const huge = await send(Buffer.alloc(3 * 1024 * 1024, 1));
    expect(huge.statusCode).toBe(413);
    expect((await send(Buffer.alloc(0))).statusCode).toBe(415);
    const noFile = multipart({ contentId: 'x' });
    expect((await app.inject({ method: 'POST', url: '/v1/check', headers: { ...auth(token), ...noFile.headers }, payload: noFile.payload })).statusCode).toBe(400);
  });

  it('answers 400 for a multipart body cut short, wherever it is cut', async () => {
    const form = multipart({ contentId: 'cut-1', url: 'https://pics.example/p/cut' }, { bytes: await testImage(4) });
    const fileStart = form.payload.indexOf('\r\n\r\n', form.payload.indexOf('filename=')) + 4;
    // In a text field, in a part's headers, in the file's bytes, and just before the closing boundary.
    for (const length of [60, form.payload.indexOf('filename=') + 5, fileStart + 100, form.payload.length - 10]) {
      for (const url of ['/v1/check', '/v1/content']) {
        const response = await app.inject({ method: 'POST', url, headers: { ...auth(token), ...form.headers }, payload: form.payload.subarray(0, length) });
        expect(response.statusCode, `${url} cut at ${length}: ${response.body}`).toBe(400);
        expect(response.json().error).toMatchObject({ code: 'invalid_multipart', message: 'The multipart body was cut short or is malformed; send the fields and one file named "file" again.' });
      }
    }
  });

  it('acknowledges a removal only from the platform hosting the item: 404 otherwise, 400 for a time ahead, 200 twice', async () => {
    const elsewhere = await fileRequest(db.database, keys, [{ url: 'https://elsewhere.example/p/acknowledged' }]);
    await confirmItem(db.database, elsewhere.items[0].id);
    const untold = await app.inject({ method: 'POST', url: `/v1/items/${elsewhere.items[0].id}/removed`, headers: auth(token), payload: {} });
    expect(untold.statusCode).toBe(404);
    expect(untold.json().error).toMatchObject({ code: 'item_not_found', message: 'There is no such item among those your platform hosts.' });

    const submitted = await fileRequest(db.database, keys, [{ url: 'https://pics.example/p/acknowledged' }]);
    const itemId = submitted.items[0].id;
    await confirmItem(db.database, itemId);
    const removed = (key: string, body: object = {}) => app.inject({ method: 'POST', url: `/v1/items/${itemId}/removed`, headers: auth(key), payload: body });
    expect((await removed(other)).statusCode).toBe(404);
    const ahead = await removed(token, { removedAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().error.field).toBe('removedAt');
    const first = await removed(token);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ itemId, itemState: 'removed', caseState: 'resolved', alreadyRemoved: false });
    const again = await removed(token);
    expect(again.json()).toEqual({ itemId, itemState: 'removed', caseState: 'resolved', alreadyRemoved: true });
  });

  it('survives 1 000 mutated images on /v1/check: never a 5xx, always the error shape', async () => {
    const seeds = await Promise.all([testImage(11, { size: 96 }), testImage(12, { size: 96, format: 'png' }), testImage(13, { size: 96, format: 'webp' }), testImage(14, { size: 96, format: 'gif' })]);
    let state = 12345;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const bytes = Buffer.from(seeds[i % seeds.length]);
      let mutated: Buffer;
      switch (random(5)) {
        case 0: // truncate
          mutated = bytes.subarray(0, random(bytes.length));
          break;
        case 1: // flip bytes anywhere, header included
          for (let k = 0; k < 1 + random(20); k++) bytes[random(bytes.length)] = random(256);
          mutated = bytes;
          break;
        case 2: // flip bytes in the first 64 (dimensions, markers)
          for (let k = 0; k < 1 + random(4); k++) bytes[random(Math.min(64, bytes.length))] = random(256);
          mutated = bytes;
          break;
        case 3: // splice in garbage
          mutated = Buffer.concat([bytes.subarray(0, random(bytes.length)), Buffer.from(Array.from({ length: random(200) }, () => random(256))), bytes.subarray(random(bytes.length))]);
          break;
        default: // a bomb-shaped header with random dimensions
          mutated = bombPng(1 + random(200_000), 1 + random(200_000));
      }
      const form = multipart({}, { bytes: mutated, type: 'image/jpeg' });
      const response = await app.inject({ method: 'POST', url: '/v1/check', headers: { ...auth(token), ...form.headers }, payload: form.payload });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      expect(response.statusCode, `mutation ${i}`).toBeLessThan(500);
      if (response.statusCode !== 200) expect(response.json().error.message.length).toBeGreaterThan(5);
    }
    expect([...statuses.keys()].every((s) => [200, 413, 415, 422].includes(s))).toBe(true);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  });
});

function flipBits(hash: string, bits: number): string {
  return (BigInt(`0x${hash}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(64, '0');
}
