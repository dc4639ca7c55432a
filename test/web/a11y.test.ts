/**
 * The accessibility check the browser tests use (a11y.ts) finds what it should: axe is put into a document
 * once and kept while the app changes the page, so a problem that appears after that is still seen.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y.ts';
import { CHROMIUM_PATH } from './harness.ts';

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install it (apt-get install chromium) to run the browser tests.`);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
});

describe('the accessibility check', () => {
  it('reports serious problems, again after the page changes without loading, and none on a clean page', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="en"><title>Clean</title><main><h1>Clean</h1><p>Text.</p></main></html>');
    expect(await seriousViolations(page)).toEqual([]);

    // The same document, changed the way the app changes it: the axe already in the page must see the change.
    await page.evaluate(() => {
      const picture = document.createElement('img');
      picture.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
      document.querySelector('main')!.append(picture);
    });
    expect(await page.evaluate('typeof window.axe')).toBe('object');
    const found = await seriousViolations(page);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^image-alt \(critical\)/);

    // A new document (no axe in it yet).
    await page.setContent('<!doctype html><html lang="en"><title>Form</title><main><h1>Form</h1><input type="text"></main></html>');
    expect((await seriousViolations(page)).map((v) => v.split(' ')[0])).toEqual(['label']);
    await page.close();
  });
});
