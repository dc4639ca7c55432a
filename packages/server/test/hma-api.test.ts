import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import { H264, renderVideo, requireFfmpeg } from '@takedown/testing/videos';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_CONFIG } from '../src/config/platform-config.ts';
import { buildApp } from '../src/http/app.ts';
import { parseAllowList } from '../src/net/address-ranges.ts';
import { hashImageBytes } from '../src/media/hash-image.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { ensureBank, updateBank } from '../src/services/platform-banks.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { LOOPBACK_OUTBOUND } from './helpers/outbound.ts';
import { multipart, platformTestConfig, testImage } from './platform-helpers.ts';

/** A PDQ hash `bits` bits away from `hash` (the lowest bits flipped). */
function flipBits(hash: string, bits: number): string {
  const value = BigInt(`0x${hash}`) ^ ((1n << BigInt(bits)) - 1n);
  return value.toString(16).padStart(64, '0');
}

const PDQ = 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22';

describe.each(backends)('HMA-compatible API ($name)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let media: Server;
  let mediaBase: string;
  let hma: string;
  let curator: string;
  let checkOnly: string;
  const image = testImage(41);
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    db = await backend.create();
    const platform = { ...DEFAULT_PLATFORM_CONFIG, indexSyncMs: 100, urlFetch: { maxBytes: 200_000, timeoutMs: 1_500 } };
    // The media server below is on loopback over plain HTTP: the operator's allow-list opens exactly it.
    const outbound = LOOPBACK_OUTBOUND;
    const { config, keys } = platformTestConfig(db.dataDir, { platform, outbound });
    app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    hma = (await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test')).token;
    curator = (await addPlatformKey(db.database, systemClock, { name: 'pics', scopes: ['hma', 'banks'] }, 'test')).token;
    checkOnly = (await addPlatformKey(db.database, systemClock, { name: 'pics', scopes: ['check'] }, 'test')).token;
    await ensureBank(db.database, systemClock, 'ncii_partner', 'test');
    await ensureBank(db.database, systemClock, 'paused', 'test');
    await updateBank(db.database, systemClock, 'paused', { enabled: false }, 'test');
    await app.services.platform.sync();

    // The platform's media server: what HMA's `url=` fetches.
    const bytes = await image;
    media = createServer((request, response) => {
      if (request.url === '/photo.jpg') response.writeHead(200, { 'content-type': 'image/jpeg' }).end(bytes);
      else if (request.url === '/unlabelled') response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      else if (request.url === '/moved') response.writeHead(302, { location: '/photo.jpg' }).end();
      else if (request.url === '/to-internal') response.writeHead(302, { location: 'http://10.1.2.3/photo.jpg' }).end();
      else if (request.url === '/huge') response.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(300_000));
      else if (request.url === '/declared') response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '300000' }).write(Buffer.alloc(10));
      else if (request.url === '/endless') {
        response.writeHead(200, { 'content-type': 'image/jpeg' });
        const timer = setInterval(() => response.write(Buffer.alloc(50_000)), 5);
        response.on('close', () => clearInterval(timer));
      } else if (request.url === '/silent') request.socket.setTimeout(0);
      else response.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
    mediaBase = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    media?.closeAllConnections();
    await new Promise((resolve) => media?.close(resolve));
    await app?.close();
    await db?.drop();
  });

  it('needs a platform key with the hma scope (banks to add hashes), and answers errors with HMA\'s message', async () => {
    const none = await app.inject({ method: 'GET', url: `/m/lookup?signal=${PDQ}&signal_type=pdq` });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ message: expect.stringContaining('API key'), error: { code: 'api_key_required' } });
    const unscoped = await app.inject({ method: 'GET', url: '/c/banks', headers: auth(checkOnly) });
    expect(unscoped.statusCode).toBe(403);
    expect(unscoped.json().message).toContain('"hma" scope');
    // A key made without naming scopes has hma but not banks: adding to a bank is asked for explicitly.
    const noBanks = await app.inject({ method: 'POST', url: '/c/bank/NCII_PARTNER/signal', headers: auth(hma), payload: { pdq: PDQ } });
    expect(noBanks.statusCode).toBe(403);
    expect(noBanks.json().message).toContain('"banks" scope');
    expect(none.headers['cache-control']).toBe('no-store');
  });

  it('documents every HMA route in the OpenAPI document', async () => {
    const paths = Object.keys((await app.inject({ method: 'GET', url: '/openapi.json' })).json().paths as object);
    expect(paths).toEqual(expect.arrayContaining(['/m/lookup', '/m/raw_lookup', '/m/index/status', '/h/hash', '/c/banks', '/c/bank/{bank}/signal']));
  });

  it('lists banks as HMA does: upper-case names, matching ratio 1 or 0', async () => {
    const banks = await app.inject({ method: 'GET', url: '/c/banks', headers: auth(hma) });
    expect(banks.statusCode).toBe(200);
    expect(banks.json()).toEqual([
      { name: 'CONFIRMED', matching_enabled_ratio: 1 },
      { name: 'NCII_PARTNER', matching_enabled_ratio: 1 },
      { name: 'PAUSED', matching_enabled_ratio: 0 },
    ]);
  });

  it('adds signals to a bank as HMA\'s POST /c/bank/<bank>/signal does, one id per content, and refuses what it cannot take', async () => {
    const added = await app.inject({ method: 'POST', url: '/c/bank/NCII_PARTNER/signal', headers: auth(curator), payload: { pdq: PDQ, note: 'Hash from campaign ABC' } });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toEqual({ id: expect.any(Number), signals: { pdq: PDQ } });
    const again = await app.inject({ method: 'POST', url: '/c/bank/ncii_partner/signal', headers: auth(curator), payload: { pdq: PDQ.toUpperCase() } });
    expect(again.json()).toEqual({ id: added.json().id, signals: { pdq: PDQ } });
    const md5 = await app.inject({ method: 'POST', url: '/c/bank/NCII_PARTNER/signal', headers: auth(curator), payload: { video_md5: ' D41D8CD98F00B204E9800998ECF8427E ' } });
    expect(md5.json()).toEqual({ id: expect.any(Number), signals: { video_md5: 'd41d8cd98f00b204e9800998ecf8427e' } });
    const paused = await app.inject({ method: 'POST', url: '/c/bank/PAUSED/signal', headers: auth(curator), payload: { pdq: flipBits(PDQ, 64) } });
    expect(paused.statusCode).toBe(200);

    const refusals: [string, unknown, number, string][] = [
      ['NOPE', { pdq: PDQ }, 404, "bank 'NOPE' not found"],
      ['CONFIRMED', { pdq: PDQ }, 403, 'confirmed bank'],
      ['NCII_PARTNER', {}, 400, 'No signals given'],
      ['NCII_PARTNER', { note: 'only a note' }, 400, 'No signals given'],
      ['NCII_PARTNER', { pdq: 'banana' }, 400, 'Invalid pdq signal'],
      ['NCII_PARTNER', { not_pdq: PDQ }, 400, 'No such signal type not_pdq'],
      ['NCII_PARTNER', { pdq: PDQ, note: 'x'.repeat(256) }, 400, 'note'],
      ['NCII_PARTNER', { pdq: 42 }, 400, 'pdq'],
      ['NCII_PARTNER', ['banana'], 400, ''],
    ];
    for (const [bank, payload, status, message] of refusals) {
      const answer = await app.inject({ method: 'POST', url: `/c/bank/${bank}/signal`, headers: auth(curator), payload: payload as object });
      expect([bank, payload, answer.statusCode]).toEqual([bank, payload, status]);
      expect(answer.json().message).toContain(message);
      expect(answer.json().error.code).toEqual(expect.any(String));
    }
    const notJson = await app.inject({ method: 'POST', url: '/c/bank/NCII_PARTNER/signal', headers: { ...auth(curator), 'content-type': 'application/json' }, payload: '{"pdq":' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().message).toContain('not valid JSON');
  });

  it('looks hashes up as HMA\'s /m/raw_lookup and /m/lookup do, and agrees with /v1/check', async () => {
    const id = (await app.inject({ method: 'POST', url: '/c/bank/NCII_PARTNER/signal', headers: auth(curator), payload: { pdq: PDQ } })).json().id as number;
    const near = flipBits(PDQ, 5);
    const raw = await app.inject({ method: 'GET', url: '/m/raw_lookup', query: { signal: near, signal_type: 'pdq' }, headers: auth(hma) });
    expect(raw.statusCode).toBe(200);
    expect(raw.json()).toEqual({ matches: [id] });
    const withDistance = await app.inject({ method: 'GET', url: '/m/raw_lookup', query: { signal: near, signal_type: 'pdq', include_distance: 'true' }, headers: auth(hma) });
    expect(withDistance.json()).toEqual({ matches: [{ bank_content_id: id, distance: '5' }] });
    // The raw lookup sees disabled banks too (HMA: it does not check whether matching is enabled).
    const far = flipBits(PDQ, 64);
    const rawPaused = await app.inject({ method: 'GET', url: '/m/raw_lookup', query: { signal: far, signal_type: 'pdq', include_distance: 'True' }, headers: auth(hma) });
    expect(rawPaused.json().matches).toEqual([{ bank_content_id: expect.any(Number), distance: '0' }]);
    const filtered = await app.inject({ method: 'GET', url: '/m/raw_lookup', query: { signal: near, signal_type: 'pdq', banks: 'PAUSED,NON_EXISTENT_BANK' }, headers: auth(hma) });
    expect(filtered.json()).toEqual({ matches: [] });

    const lookup = await app.inject({ method: 'GET', url: '/m/lookup', query: { signal: near, signal_type: 'pdq' }, headers: auth(hma) });
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toEqual({ NCII_PARTNER: [{ bank_content_id: id, distance: '5' }] });
    // A disabled bank is matched only when the coin flip is bypassed, as HMA does with a matching ratio of 0.
    expect((await app.inject({ method: 'GET', url: '/m/lookup', query: { signal: far, signal_type: 'pdq' }, headers: auth(hma) })).json()).toEqual({});
    const bypass = await app.inject({ method: 'GET', url: '/m/lookup', query: { signal: far, signal_type: 'pdq', bypass_coinflip: 'true', seed: 'abc' }, headers: auth(hma) });
    expect(Object.keys(bypass.json())).toEqual(['PAUSED']);
    const md5 = await app.inject({ method: 'GET', url: '/m/lookup', query: { signal: 'd41d8cd98f00b204e9800998ecf8427e', signal_type: 'video_md5', banks: 'ncii_partner' }, headers: auth(hma) });
    expect(md5.json()).toEqual({ NCII_PARTNER: [{ bank_content_id: expect.any(Number), distance: '0' }] });

    // The same hashes through takedown's own upload check: the same banks at the same distances.
    for (const [signal, signal_type, body] of [[near, 'pdq', { pdq: near }], [far, 'pdq', { pdq: far }], ['d41d8cd98f00b204e9800998ecf8427e', 'video_md5', { md5: 'd41d8cd98f00b204e9800998ecf8427e' }], [flipBits(PDQ, 40), 'pdq', { pdq: flipBits(PDQ, 40) }]] as const) {
      const viaHma = (await app.inject({ method: 'GET', url: '/m/lookup', query: { signal, signal_type }, headers: auth(hma) })).json() as Record<string, { distance: string }[]>;
      const viaCheck = (await app.inject({ method: 'POST', url: '/v1/check', headers: auth(hma), payload: body })).json() as { matches: { bank: string; distance: number }[] };
      const hmaPairs = Object.entries(viaHma).flatMap(([bank, matches]) => matches.map((m) => `${bank.toLowerCase()}:${m.distance}`));
      expect(hmaPairs.sort()).toEqual(viaCheck.matches.map((m) => `${m.bank}:${m.distance}`).sort());
    }
  });

  it('answers HMA\'s errors for bad lookups with a clear 4xx', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ['/m/raw_lookup', { signal: PDQ, signal_type: 'not_a_type' }, 400, "No such SignalType 'not_a_type'"],
      ['/m/raw_lookup', { signal: 'banana', signal_type: 'pdq' }, 400, 'invalid signal'],
      ['/m/raw_lookup', { signal_type: 'pdq' }, 400, 'signal'],
      ['/m/raw_lookup', { signal: PDQ, signal_type: 'pdq', include_distance: 'maybe' }, 400, 'include_distance'],
      ['/m/raw_lookup', { signal: PDQ, signal_type: 'pdq', surprise: '1' }, 400, 'surprise'],
      ['/m/lookup', {}, 400, 'Either url or both signal and signal_type are required'],
      ['/m/lookup', { signal: PDQ }, 400, 'Either url or both signal and signal_type are required'],
      ['/m/lookup', { signal: 'x'.repeat(64), signal_type: 'pdq' }, 400, 'invalid signal'],
      ['/m/index/status', { signal_type: 'nope' }, 400, "No such signal type 'nope'"],
    ];
    for (const [url, query, status, message] of cases) {
      const answer = await app.inject({ method: 'GET', url, query, headers: auth(hma) });
      expect([url, query, answer.statusCode]).toEqual([url, query, status]);
      expect(answer.json().message).toContain(message);
    }
  });

  it('hashes an upload as HMA\'s POST /h/hash does (field named for the content type), and refuses other shapes', async () => {
    const bytes = await image;
    const expected = await hashImageBytes(bytes);
    const photo = multipart({}, { bytes, field: 'photo' });
    const hashed = await app.inject({ method: 'POST', url: '/h/hash', headers: { ...auth(hma), ...photo.headers }, payload: photo.payload });
    expect(hashed.statusCode).toBe(200);
    expect(hashed.json()).toEqual({ pdq: expected.pdq, video_md5: expected.md5, video_sha256: expected.sha256 });
    const onlyPdq = await app.inject({ method: 'POST', url: '/h/hash?types=pdq', headers: { ...auth(hma), ...photo.headers }, payload: photo.payload });
    expect(onlyPdq.json()).toEqual({ pdq: expected.pdq });

    const wrongField = multipart({}, { bytes, field: 'file' });
    const twoFiles = multipart({}, { bytes, field: 'photo' });
    const second = Buffer.from(`--${twoFiles.headers['content-type'].split('boundary=')[1]}\r\nContent-Disposition: form-data; name="photo"; filename="b.jpg"\r\nContent-Type: image/jpeg\r\n\r\nxx\r\n`);
    const twoPayload = Buffer.concat([second, twoFiles.payload]);
    const refusals: [string, Record<string, string>, Buffer | string, number, string][] = [
      ['/h/hash', wrongField.headers, wrongField.payload, 400, "no such content_type: 'file'"],
      ['/h/hash', twoFiles.headers, twoPayload, 400, 'Only one file allowed per request'],
      ['/h/hash', { 'content-type': 'application/json' }, '{}', 400, 'Missing multipart/form-data file upload'],
      ['/h/hash?types=vpdq', photo.headers, photo.payload, 400, "signal type 'vpdq' doesn't exist or is disabled"],
      ['/h/hash?types=,', photo.headers, photo.payload, 400, 'empty signal type selection'],
      ['/m/lookup', multipart({}, { bytes: Buffer.from('not a picture'), field: 'photo' }).headers, '', 400, 'multipart'],
    ];
    for (const [url, headers, payload, status, message] of refusals) {
      const answer = await app.inject({ method: 'POST', url, headers: { ...auth(hma), ...headers }, payload });
      expect([url, answer.statusCode]).toEqual([url, status]);
      expect(answer.json().message).toContain(message);
    }
    const notAPicture = multipart({}, { bytes: Buffer.from('not a picture at all'), field: 'photo' });
    const refused = await app.inject({ method: 'POST', url: '/h/hash', headers: { ...auth(hma), ...notAPicture.headers }, payload: notAPicture.payload });
    expect(refused.statusCode).toBe(415);
    expect(refused.json()).toMatchObject({ message: expect.any(String), error: { code: 'not_an_image', field: 'photo' } });
  });

  it('looks an uploaded file up as HMA\'s POST /m/lookup does, keyed by signal type, agreeing with /v1/check', async () => {
    const bytes = await image;
    const expected = await hashImageBytes(bytes);
    const id = (await app.inject({ method: 'POST', url: '/c/bank/NCII_PARTNER/signal', headers: auth(curator), payload: { pdq: flipBits(expected.pdq, 3) } })).json().id as number;
    const photo = multipart({}, { bytes, field: 'photo' });
    const lookup = await app.inject({ method: 'POST', url: '/m/lookup', headers: { ...auth(hma), ...photo.headers }, payload: photo.payload });
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toEqual({ pdq: { NCII_PARTNER: [{ bank_content_id: id, distance: '3' }] }, video_md5: {}, video_sha256: {} });
    const file = multipart({}, { bytes });
    const check = (await app.inject({ method: 'POST', url: '/v1/check', headers: { ...auth(hma), ...file.headers }, payload: file.payload })).json();
    expect(check.matches).toEqual([{ bank: 'ncii_partner', from: 'imported list "ncii_partner"', distance: 3, signal: 'pdq' }]);
    const elsewhere = await app.inject({ method: 'POST', url: '/m/lookup?banks=PAUSED', headers: { ...auth(hma), ...photo.headers }, payload: photo.payload });
    expect(elsewhere.json()).toEqual({ pdq: {}, video_md5: {}, video_sha256: {} });
  });

  it('fetches a url for /h/hash and /m/lookup, within the size cap and the timeout', async () => {
    const expected = await hashImageBytes(await image);
    const hashed = await app.inject({ method: 'GET', url: '/h/hash', query: { url: `${mediaBase}/photo.jpg` }, headers: auth(hma) });
    expect(hashed.statusCode).toBe(200);
    expect(hashed.json()).toEqual({ pdq: expected.pdq, video_md5: expected.md5, video_sha256: expected.sha256 });
    const redirected = await app.inject({ method: 'GET', url: '/h/hash', query: { url: `${mediaBase}/moved`, types: 'pdq' }, headers: auth(hma) });
    expect(redirected.json()).toEqual({ pdq: expected.pdq });
    const labelled = await app.inject({ method: 'GET', url: '/h/hash', query: { url: `${mediaBase}/unlabelled`, content_type: 'photo', types: 'pdq' }, headers: auth(hma) });
    expect(labelled.json()).toEqual({ pdq: expected.pdq });

    const lookup = await app.inject({ method: 'GET', url: '/m/lookup', query: { url: `${mediaBase}/photo.jpg` }, headers: auth(hma) });
    expect(lookup.statusCode).toBe(200);
    expect(Object.keys(lookup.json())).toEqual(['pdq', 'video_md5', 'video_sha256']);
    const onePdq = await app.inject({ method: 'GET', url: '/m/lookup', query: { url: `${mediaBase}/photo.jpg`, signal_type: 'pdq' }, headers: auth(hma) });
    expect(onePdq.json()).toEqual(lookup.json().pdq);

    const cases: [Record<string, string>, number, string][] = [
      [{ url: `${mediaBase}/huge` }, 413, 'Content too large'],
      [{ url: `${mediaBase}/declared` }, 413, 'Content too large'],
      [{ url: `${mediaBase}/endless` }, 413, 'Content too large'],
      [{ url: `${mediaBase}/missing.jpg` }, 400, 'Failed to fetch URL: The address answered HTTP 404'],
      [{ url: `${mediaBase}/silent` }, 400, 'did not deliver the file within 1500 ms'],
      [{ url: 'ftp://example.com/a.jpg' }, 400, 'Invalid or unsafe URL provided'],
      // Every redirect is checked like the first address.
      [{ url: `${mediaBase}/to-internal` }, 400, 'Invalid or unsafe URL provided: The URL points at'],
      [{ url: 'not a url' }, 400, 'Invalid or unsafe URL provided'],
      [{ url: `${mediaBase}/photo.jpg`, content_type: 'audio' }, 400, "no such content_type: 'audio'"],
      [{}, 400, 'url'],
    ];
    for (const [query, status, message] of cases) {
      const started = Date.now();
      const answer = await app.inject({ method: 'GET', url: '/h/hash', query, headers: auth(hma) });
      expect([query, answer.statusCode]).toEqual([query, status]);
      expect(answer.json().message).toContain(message);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  it('fetches only where the outbound guard allows: internal addresses and plain HTTP need the operator\'s word', async () => {
    const outbound = { allowedHosts: parseAllowList([]).allowList, allowHttp: false };
    const guarded = await buildApp({ ...app.services.config, outbound }, { database: db.database, keys: app.services.keys, clock: systemClock });
    try {
      const cases: [string, string][] = [
        [`${mediaBase}/photo.jpg`, 'https://'],
        [mediaBase.replace('http:', 'https:') + '/photo.jpg', 'loopback'],
        ['https://169.254.169.254/latest/meta-data/', 'link-local'],
        ['https://10.1.2.3/a.jpg', 'private'],
        ['https://user:secret@cdn.example/a.jpg', 'no user name or password'],
      ];
      for (const [url, message] of cases) {
        const answer = await guarded.inject({ method: 'GET', url: '/h/hash', query: { url }, headers: auth(hma) });
        expect([url, answer.statusCode]).toEqual([url, 400]);
        expect(answer.json().message).toMatch(/^Invalid or unsafe URL provided: /);
        expect(answer.json().message).toContain(message);
      }
    } finally {
      await guarded.close();
    }
  });

  it('reports the index per signal type as HMA\'s /m/index/status does', async () => {
    const status = await app.inject({ method: 'GET', url: '/m/index/status', headers: auth(hma) });
    expect(status.statusCode).toBe(200);
    const body = status.json() as Record<string, { present: boolean; built_to: number; size: number }>;
    expect(Object.keys(body)).toEqual(['pdq', 'video_md5', 'video_sha256', 'vpdq', 'url']);
    expect(body.pdq).toEqual({ present: true, built_to: expect.any(Number), size: expect.any(Number) });
    expect(body.pdq.size).toBeGreaterThanOrEqual(3);
    expect(Math.abs(body.pdq.built_to - Date.now() / 1000)).toBeLessThan(600);
    expect(body.vpdq).toEqual({ present: true, built_to: -1, size: 0 });
    const one = await app.inject({ method: 'GET', url: '/m/index/status?signal_type=video_md5', headers: auth(hma) });
    expect(one.json()).toEqual({ video_md5: { present: true, built_to: expect.any(Number), size: 1 } });
  });

  it('hashes a video as HMA does (video_md5, and vPDQ as python-threatexchange writes it)', async () => {
    await requireFfmpeg();
    const dir = mkdtempSync(join(tmpdir(), 'takedown-hma-video-'));
    try {
      const clip = readFileSync(await renderVideo(join(dir, 'clip.mp4'), [{ lavfi: 'testsrc=size=160x120:rate=5', seconds: 3 }], { width: 160, height: 120, rate: 5, encode: H264 }));
      const form = multipart({}, { bytes: clip, field: 'video', type: 'video/mp4', name: 'clip.mp4' });
      const hashed = await app.inject({ method: 'POST', url: '/h/hash', headers: { ...auth(hma), ...form.headers }, payload: form.payload });
      expect(hashed.statusCode).toBe(200);
      const body = hashed.json() as Record<string, string>;
      expect(Object.keys(body)).toEqual(['video_md5', 'video_sha256', 'vpdq']);
      const frames = JSON.parse(body.vpdq) as string[];
      expect(frames.length).toBeGreaterThan(0);
      expect(frames[0]).toMatch(/^[0-9a-f]{64},\d+,[\d.]+$/);
      // The digest alone needs no decoding: any bytes declared a video hash, as in HMA.
      const digestOnly = multipart({}, { bytes: Buffer.from('not really a video'), field: 'video' });
      const md5 = await app.inject({ method: 'POST', url: '/h/hash?types=video_md5', headers: { ...auth(hma), ...digestOnly.headers }, payload: digestOnly.payload });
      expect(md5.json()).toEqual({ video_md5: createHash('md5').update('not really a video').digest('hex') });

      await app.inject({ method: 'POST', url: '/c/bank/NCII_PARTNER/signal', headers: auth(curator), payload: { vpdq: body.vpdq } });
      const lookup = await app.inject({ method: 'POST', url: '/m/lookup', headers: { ...auth(hma), ...form.headers }, payload: form.payload });
      expect(lookup.json().vpdq).toEqual({ NCII_PARTNER: [{ bank_content_id: expect.any(Number), distance: '100%[100%]' }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
