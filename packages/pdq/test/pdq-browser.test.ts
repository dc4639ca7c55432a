/**
 * The hasher in a real browser (Debian's Chromium through playwright-core): on the main thread and in a
 * module worker (where the web app hashes), with the WebAssembly SIMD path and with the TypeScript path.
 * The package's sources are served to the page as JavaScript, transpiled on the fly; nothing is mocked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNetpbm } from './netpbm.ts';
import { loadVectors, VECTORS_DIR } from '@takedown/testing/vectors';

const CHROMIUM_PATH = '/usr/bin/chromium';
const SRC = resolve(import.meta.dirname, '../src');
const ORIGIN = 'http://pdq.test';

const vector = loadVectors().find((entry) => entry.file.endsWith('misc-images/small.jpg'))!;
const image = readNetpbm(readFileSync(join(VECTORS_DIR, vector.decoded!)));

interface PageResult {
  simd: boolean;
  withSimd: { hash: string; quality: number };
  withoutSimd: { hash: string; quality: number };
  worker: { hash: string; quality: number; simd: boolean };
}

// Runs in the page (as text: the test runner rewrites dynamic imports in functions it compiles): hashes
// with and without SIMD on the main thread, then once more in a module worker.
const HASH_IN_PAGE = `async ({ origin, pixelsBase64, width, height }) => {
  const pixels = Uint8Array.from(atob(pixelsBase64), (c) => c.charCodeAt(0));
  const pdq = await import(origin + '/index.ts');
  const simd = await import(origin + '/downsample-simd.ts');
  const withSimd = pdq.pdqHash(pixels, width, height);
  simd.allowSimd(false);
  const withoutSimd = pdq.pdqHash(pixels, width, height);
  simd.allowSimd(true);
  const worker = new Worker(origin + '/worker.js', { type: 'module' });
  const inWorker = await new Promise((done, fail) => {
    worker.onmessage = (event) => done(event.data);
    worker.onerror = (event) => fail(new Error(event.message));
    worker.postMessage({ pixels, width, height });
  });
  worker.terminate();
  return { simd: simd.simdAvailable(), withSimd, withoutSimd, worker: inWorker };
}`;

const WORKER = `
import { pdqHash } from './index.ts';
import { simdAvailable } from './downsample-simd.ts';
self.onmessage = (event) => {
  const { pixels, width, height } = event.data;
  self.postMessage({ ...pdqHash(pixels, width, height), simd: simdAvailable() });
};
`;

describe('PDQ in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Never skip: a missing browser is a broken test machine, and must show up as a failure.
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install it (apt-get install chromium) to run the browser tests.`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const context = await browser.newContext();
    page = await context.newPage();
    // On the context, so the worker's requests are served too.
    await context.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>pdq</title>' });
      if (path === '/worker.js') return route.fulfill({ contentType: 'text/javascript', body: WORKER });
      const source = readFileSync(join(SRC, path.slice(1)), 'utf8');
      const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
      return route.fulfill({ contentType: 'text/javascript', body: js.outputText });
    });
    await page.goto(`${ORIGIN}/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('hashes a 224×399 photo exactly, with and without SIMD, on the main thread and in a worker', async () => {
    const args = { origin: ORIGIN, pixelsBase64: Buffer.from(image.pixels).toString('base64'), width: image.width, height: image.height };
    const result = (await page.evaluate(`(${HASH_IN_PAGE})(${JSON.stringify(args)})`)) as PageResult;
    const expected = { hash: vector.hash, quality: vector.quality };
    expect(result.simd).toBe(true);
    expect(result.withSimd).toEqual(expected);
    expect(result.withoutSimd).toEqual(expected);
    expect(result.worker).toEqual({ ...expected, simd: true });
  }, 60_000);
});
