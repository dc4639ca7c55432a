import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { DecodeBudget, DecodeBusyError } from '../src/media/decode-budget.ts';
import { addPlatformKey } from '../src/services/platform-accounts.ts';
import { submitRequest } from '../src/services/intake.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { multipart, platformTestConfig, testImage } from './platform-helpers.ts';
import { validRequest } from './helpers/fixtures.ts';
import { heifFileStart } from '@takedown/testing/heif-files';

describe('DecodeBudget', () => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  };

  it('runs at most `concurrency` decodes and at most `memoryBytes` of pixels at once, first come first served', async () => {
    const budget = new DecodeBudget({ concurrency: 2, memoryBytes: 100, queue: 10 });
    const order: string[] = [];
    const gates = { a: gate(), b: gate(), c: gate(), d: gate() };
    const run = (name: keyof typeof gates, cost: number) => budget.run(cost, async () => {
      order.push(`start ${name}`);
      await gates[name].opened;
      order.push(`end ${name}`);
    });
    const a = run('a', 60);
    const b = run('b', 60); // does not fit beside a (120 > 100): waits
    const c = run('c', 10); // would fit, but b came first: waits behind it
    await Promise.resolve();
    expect(budget.usage).toEqual({ running: 1, heldBytes: 60, waiting: 2 });
    gates.a.open();
    await a;
    expect(budget.usage).toEqual({ running: 2, heldBytes: 70, waiting: 0 });
    const d = run('d', 1); // two running: waits
    expect(budget.usage.waiting).toBe(1);
    gates.b.open();
    gates.c.open();
    gates.d.open();
    await Promise.all([b, c, d]);
    expect(order.slice(0, 3)).toEqual(['start a', 'end a', 'start b']);
    expect(budget.usage).toEqual({ running: 0, heldBytes: 0, waiting: 0 });
  });

  it('refuses at once when the queue is full, and gives the room back when a decode fails', async () => {
    const budget = new DecodeBudget({ concurrency: 1, memoryBytes: 100, queue: 1 });
    const hold = gate();
    const first = budget.run(10, () => hold.opened);
    const second = budget.run(10, async () => 'second');
    await expect(budget.run(10, async () => 'third')).rejects.toBeInstanceOf(DecodeBusyError);
    hold.open();
    await first;
    expect(await second).toBe('second');
    await expect(budget.run(10, async () => Promise.reject(new Error('damaged')))).rejects.toThrow('damaged');
    expect(budget.usage).toEqual({ running: 0, heldBytes: 0, waiting: 0 });
    // A picture costlier than the whole budget (but within the pixel limit) still runs, alone.
    expect(await budget.run(1_000, async () => 'alone')).toBe('alone');
  });
});

describe('pictures on the server: bounded decoding, whole pictures only (PGlite)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let platform: { authorization: string };

  beforeAll(async () => {
    db = await backends[0].create();
    // One decode at a time and none waiting, so a second picture at the same time finds the budget full.
    const { config, keys } = platformTestConfig(db.dataDir, { decode: { concurrency: 1, memoryBytes: 256 * 1024 * 1024, queue: 0 } });
    app = await buildApp(config, { database: db.database, keys, clock: systemClock });
    platform = { authorization: `Bearer ${(await addPlatformKey(db.database, systemClock, { name: 'pics' }, 'test')).token}` };
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const check = (file: Buffer, filename = 'upload.png') => {
    const form = multipart({ contentId: 'c1' }, { bytes: file, name: filename });
    return app.inject({ method: 'POST', url: '/v1/check', headers: { ...platform, ...form.headers }, payload: form.payload });
  };

  it('answers 503 with Retry-After when the decode budget is full, and serves the picture once there is room', async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 80 }).toBuffer();
    const answers = await Promise.all([check(big, 'big.jpg'), check(big, 'big.jpg'), check(big, 'big.jpg')]);
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses[0]).toBe(200);
    const busy = answers.filter((a) => a.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) {
      expect(answer.headers['retry-after']).toBe('2');
      expect(answer.json().error).toMatchObject({ code: 'busy', message: expect.stringContaining('try again') });
    }
    expect((await check(big, 'big.jpg')).statusCode).toBe(200);
  });

  it('refuses a 200-byte SVG that declares 7000×7000 pixels without drawing it', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="7000" height="7000"><rect width="7000" height="7000" fill="red"/></svg>');
    expect(svg.length).toBeLessThan(200);
    const answer = await check(svg, 'drawing.svg');
    expect(answer.statusCode).toBe(415);
    expect(answer.json().error).toMatchObject({ code: 'not_an_image', message: expect.stringContaining('JPEG, PNG, WebP, GIF, TIFF, AVIF') });
  });

  it('names HEIC in its answer, told by the bytes whatever the file is called; an AVIF called .jpg is read', async () => {
    for (const name of ['IMG_0001.HEIC', 'IMG_0001.jpg', 'photo']) {
      const answer = await check(heifFileStart(), name);
      expect(answer.statusCode, name).toBe(415);
      expect(answer.json().error).toMatchObject({ code: 'not_an_image', field: 'file', message: expect.stringContaining('HEIC pictures (the iPhone’s usual format) cannot be read here. Send it as a JPEG') });
    }
    const avif = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#4060a0', noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).avif({ quality: 60 }).toBuffer();
    expect(avif.subarray(4, 12).toString('latin1')).toBe('ftypavif');
    const read = await check(avif, 'photo.jpg');
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().verdict).toBe('allow');
  });

  it('takes a shared copy only after the PIN is checked, and only a picture that decodes whole', async () => {
    const picture = await testImage(3, { format: 'jpeg' });
    const sha256 = createHash('sha256').update(picture).digest('hex');
    const items = [{ url: 'https://platform.example.com/p/shared', hashes: { sha256 } }];
    const submitted = await submitRequest(db.database, app.services.keys, systemClock, validRequest(systemClock, { shareMedia: true, items }));
    const itemId = submitted.items[0].id;
    const url = `/v1/cases/${submitted.caseNumber}/items/${itemId}/media`;
    const mediaDir = join(db.dataDir, 'media');
    const stored = () => (existsSync(mediaDir) ? readdirSync(mediaDir) : []);

    // A wrong PIN is answered from the headers: 30 MB announced, none sent.
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const early = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: url, headers: { 'takedown-case-pin': '00000000', 'content-type': 'image/jpeg', 'content-length': String(30 * 1024 * 1024) } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          request.destroy(); // the announced body is never sent: drop the connection
          resolve({ status: response.statusCode ?? 0, body });
        });
      });
      request.on('error', reject);
      request.flushHeaders();
      setTimeout(() => reject(new Error('no answer before the body was sent')), 5_000).unref();
    });
    expect(early.status).toBe(404);
    expect(JSON.parse(early.body).error.code).toBe('not_found');

    // A picture cut short decodes partly: it is refused (422), and nothing is kept.
    const cut = picture.subarray(0, Math.floor(picture.length * 0.6));
    const damaged = await app.inject({ method: 'POST', url, headers: { 'takedown-case-pin': submitted.pin, 'content-type': 'image/jpeg' }, payload: cut });
    expect(damaged.statusCode, damaged.body).toBe(422);
    expect(damaged.json().error.code).toBe('image_corrupt');
    expect(stored()).toEqual([]);

    // A HEIC photo, sent as what it is or as a JPEG: 415 naming the format, with how to send a JPEG; nothing kept.
    for (const type of ['image/heic', 'image/jpeg']) {
      const heic = await app.inject({ method: 'POST', url, headers: { 'takedown-case-pin': submitted.pin, 'content-type': type }, payload: heifFileStart() });
      expect(heic.statusCode, heic.body).toBe(415);
      expect(heic.json().error).toMatchObject({ code: 'not_an_image', message: expect.stringMatching(/^HEIC pictures .*Most Compatible/) });
    }
    expect(stored()).toEqual([]);

    const whole = await app.inject({ method: 'POST', url, headers: { 'takedown-case-pin': submitted.pin, 'content-type': 'image/jpeg' }, payload: picture });
    expect(whole.statusCode, whole.body).toBe(201);
    expect(stored()).toEqual([`${itemId}.bin`]);
  });
});
