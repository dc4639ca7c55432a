/**
 * The hashes the browser makes must be the server's and Meta's reference's, bit for bit: every vector image and
 * every decoding fixture (transparent PNG, WebP and GIF, CMYK JPEG: test/fixtures/pdq-decoding) is hashed in
 * Chromium through the real form (worker, the decoders of src/hashing, @takedown/pdq) and compared with the
 * expected values: Meta's reference outputs for the vectors, the server's for the fixtures (trusted by
 * packages/server/test/decoding-fixtures.test.ts). MD5, SHA-256, PDQ and quality must all be equal.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistance } from '@takedown/pdq';
import { hashImageFile } from '@takedown/server';
import { ARTIFACTS, newContext, REPO, startHarness, VECTORS, type Harness } from './harness.ts';

interface Expected {
  file: string;
  hash: string;
  quality: number;
  note?: string;
}

const FIXTURES = join(REPO, 'test/fixtures/pdq-decoding');
const readExpected = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected[]).map((e) => ({ ...e, path: join(dir, e.file) }));
const vectors = [...readExpected(VECTORS), ...readExpected(FIXTURES)];

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

describe('hashes made in Chromium', () => {
  it('equal the expected values for every vector image and decoding fixture', { timeout: 300_000 }, async () => {
    const context = await newContext(harness, 'desktop');
    const page = await context.newPage();
    await page.goto('/request');
    // The CMYK decoder (libvips in WebAssembly) runs threads, which only a cross-origin isolated page may.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByLabel('I am the person in the pictures').check();
    await page.getByLabel('Your full name').fill('Vector Test');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const input = page.getByLabel('Choose pictures or videos');
    await input.waitFor();
    await input.setInputFiles(vectors.map((v) => v.path));
    await expect
      .poll(() => page.locator('li.picture[data-status="hashing"]').count(), { timeout: 240_000, interval: 1000 })
      .toBe(0);

    const rows = await page.locator('li.picture').evaluateAll((items) =>
      items.map((li) => ({ ...(li as HTMLElement).dataset })),
    );
    expect(rows).toHaveLength(vectors.length);
    const report = vectors.map((vector, i) => {
      const row = rows[i];
      const bytes = readFileSync(vector.path);
      expect(row.status, `${vector.file}: ${row.status} ${row.errorDetail ?? ''}`).toBe('done');
      expect(row.md5, vector.file).toBe(createHash('md5').update(bytes).digest('hex'));
      expect(row.sha256, vector.file).toBe(createHash('sha256').update(bytes).digest('hex'));
      return {
        file: vector.file,
        distance: hammingDistance(row.pdq!, vector.hash),
        quality: Number(row.quality),
        expectedQuality: vector.quality,
        browserHash: row.pdq,
        note: vector.note,
        path: vector.path,
      };
    });
    writeFileSync(join(ARTIFACTS, 'browser-hash-distances.json'), JSON.stringify(report, null, 1));
    console.log(report.map((r) => `${String(r.distance).padStart(3)} bits  q ${r.quality}/${r.expectedQuality}  ${r.file}`).join('\n'));
    for (const r of report) {
      const message = `${r.file}: browser PDQ ${r.browserHash} is ${r.distance} bits from the expected value`;
      if (r.note?.startsWith('decoder-dependent')) {
        // The CMYK vector: Meta's outputs come from ImageMagick's CMYK conversion, the server's from libvips'
        // (6 bits apart). The browser must give the server's, so that a person's hash finds the copy online.
        const server = await hashImageFile(r.path);
        expect(r.browserHash, `${r.file}: browser ${r.browserHash}, server ${server.pdq}`).toBe(server.pdq);
        expect(r.quality, r.file).toBe(server.quality);
      } else {
        expect(r.distance, message).toBe(0);
        expect(r.quality, r.file).toBe(r.expectedQuality);
      }
    }
    await context.close();
  });

  it('turns away damaged PNG, WebP and GIF files, and the decoders go on hashing the next picture', { timeout: 120_000 }, async () => {
    const context = await newContext(harness, 'desktop');
    const page = await context.newPage();
    await page.goto('/request');
    await page.getByLabel('I am the person in the pictures').check();
    await page.getByLabel('Your full name').fill('Damaged Files');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const cutShort = (file: string, mimeType: string) => {
      const bytes = readFileSync(join(FIXTURES, file));
      return { name: `cut-${file}`, mimeType, buffer: bytes.subarray(0, bytes.length >> 1) };
    };
    const whole = vectors.find((v) => v.file === 'rgba-varied.png')!;
    await page.getByLabel('Choose pictures or videos').setInputFiles([
      cutShort('rgba-varied.png', 'image/png'),
      cutShort('rgba-lossy.webp', 'image/webp'),
      cutShort('transparent.gif', 'image/gif'),
      { name: 'whole.png', mimeType: 'image/png', buffer: readFileSync(whole.path) },
    ]);
    const cards = page.locator('li.picture');
    await expect.poll(() => cards.count()).toBe(4);
    await expect.poll(() => page.locator('li.picture[data-status="hashing"]').count(), { timeout: 60_000, interval: 500 }).toBe(0);
    const rows = await cards.evaluateAll((items) => items.map((li) => ({ ...(li as HTMLElement).dataset })));
    expect(rows.map((r) => [r.name, r.status])).toEqual([
      ['cut-rgba-varied.png', 'error'],
      ['cut-rgba-lossy.webp', 'error'],
      ['cut-transparent.gif', 'error'],
      ['whole.png', 'done'],
    ]);
    for (const row of rows.slice(0, 3)) expect(row.errorDetail).toMatch(/could not be read as a picture\. It may be damaged or cut short/);
    expect([rows[3].pdq, Number(rows[3].quality)]).toEqual([whole.hash, whole.quality]);
    await context.close();
  });

  it('hashes a video on the device too (MD5 and SHA-256 of the file; frames decoded in a worker)', { timeout: 120_000 }, async () => {
    // A real WebM made by ffmpeg (a test machine without ffmpeg fails here, loudly).
    const clip = join(harness.dataDir, 'clip.webm');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '3', '-c:v', 'libvpx', '-b:v', '200k', '-y', clip]);
    const bytes = readFileSync(clip);
    const context = await newContext(harness, 'phone');
    const page = await context.newPage();
    await page.goto('/request');
    await page.getByLabel('I am the person in the pictures').check();
    await page.getByLabel('Your full name').fill('Video Test');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Choose pictures or videos').setInputFiles(clip);
    const card = page.locator('li.picture');
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 90_000 }).not.toBe('hashing');
    expect(await card.getAttribute('data-status'), (await card.getAttribute('data-error-detail')) ?? '').toBe('done');
    expect(await card.getAttribute('data-kind')).toBe('video');
    expect(await card.getAttribute('data-md5')).toBe(createHash('md5').update(bytes).digest('hex'));
    expect(await card.getAttribute('data-sha256')).toBe(createHash('sha256').update(bytes).digest('hex'));
    // The vPDQ goes with the request: frames 0, 10 and 20 of the 30-frame clip (10 fps: every 10th decoded
    // frame, as Meta's reference picks them), none pruned.
    const frames = Number(await card.getAttribute('data-vpdq-frames'));
    expect(frames).toBe(3);
    // Videos are never offered for sharing: reviewers' previews are made from pictures only.
    expect(await page.getByLabel('Yes, send a copy of my pictures to the reviewers').count()).toBe(0);
    await context.close();
  });
});
