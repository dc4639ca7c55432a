/**
 * The status page's items (issue 17), in Chromium against the real server: each item named by the person's own
 * file name (kept in the tab, or read back from the saved case file on the device) or by kind and order, a
 * video never called a picture; "taken down on" and "taken down by" in the reader's language and time zone;
 * one item withdrawn with a calm confirmation while the others go on. Axe clean, screenshots at 1280×800 and
 * 390×844 in English and Italian.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '@takedown/core';
import { createStaffUser, decideItem, recordRemoval } from '@takedown/server';
import { requestBody } from '@takedown/testing/requests';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y.ts';
import { newContext, screenshot, startHarness, STAFF_PASSWORD, VECTORS, type Harness } from './harness.ts';

const PICTURE = join(VECTORS, 'images/reg-test-input/pen-and-coaster.png');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const file = () => ({ md5: randomBytes(16).toString('hex'), sha256: randomBytes(32).toString('hex') });

let harness: Harness;
let created: { caseNumber: string; pin: string; items: { id: string; deadline: string }[] };
let removedAt: Date;

beforeAll(async () => {
  harness = await startHarness();
  const response = await harness.app.inject({
    method: 'POST',
    url: '/v1/requests',
    payload: requestBody({
      items: [
        { hashes: file(), mediaType: 'image' },
        { hashes: file(), mediaType: 'video' },
        { url: 'https://social.example/p/only-a-link' },
        { url: 'https://social.example/p/with-a-picture', hashes: file(), mediaType: 'image' },
      ],
    }),
  });
  expect(response.statusCode, response.body).toBe(201);
  created = response.json();
  // A reviewer approves the first and last items; the platform takes the last one down.
  const { database } = harness.app.services;
  const reviewer = await createStaffUser(database, systemClock, { username: 'vera', role: 'senior', password: STAFF_PASSWORD }, 'test');
  for (const index of [0, 3]) {
    const decided = await decideItem(database, systemClock, { userId: reviewer.id, actor: 'staff:vera', seesSenior: true }, created.items[index].id, { decision: 'confirm' });
    expect(decided.kind).toBe('ok');
  }
  removedAt = new Date();
  expect((await recordRemoval(database, systemClock, created.items[3].id, 'platform:test', removedAt)).kind).toBe('ok');
});
afterAll(async () => {
  await harness?.close();
});

const inZone = (iso: string | Date, locale: string, timeZone: string) =>
  new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone }).format(new Date(iso));

async function openCase(page: Page): Promise<void> {
  await page.goto('/status');
  await page.locator('#case-number').fill(created.caseNumber);
  await page.locator('#case-pin').fill(created.pin);
  await page.locator('main form button[type="submit"]').click();
  await page.locator('li.case-item').first().waitFor();
}

const item = (page: Page, index: number) => page.locator('li.case-item').nth(index);
const headings = (page: Page) => page.locator('li.case-item h3').allInnerTexts();

/** Axe clean and no sideways scrolling, then a screenshot at both sizes. */
async function checkAndShoot(page: Page, name: string): Promise<void> {
  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    expect(await seriousViolations(page), `${name} ${viewport.width}: axe`).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} ${viewport.width}: width`).toBeLessThanOrEqual(viewport.width);
    await screenshot(page, `${name}-${viewport.width}`);
  }
}

describe('the status page’s items', () => {
  it('names items by the file names this tab kept, shows when they were or will be taken down, and withdraws one', { timeout: 180_000 }, async () => {
    const context = await newContext(harness, 'desktop', { locale: 'en-US', timezoneId: 'America/New_York', viewport: DESKTOP });
    // What the request form keeps in the tab when the request is received (item-names.ts): one name per item as sent.
    await context.addInitScript(([key, names]) => sessionStorage.setItem(key, names), ['takedown.itemFileNames', JSON.stringify({ [created.caseNumber]: ['beach.jpg', 'clip.mp4', null, 'party.png'] })]);
    const page = await context.newPage();
    await openCase(page);

    expect(await headings(page)).toEqual(['Picture 1: beach.jpg', 'Video 2: clip.mp4', 'Link 3', 'Picture 4: party.png']);
    expect(await page.locator('li.case-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-item-kind')))).toEqual(['picture', 'video', 'link', 'picture']);
    expect(await page.getByText('The names of your files are shown only on this device.').isVisible()).toBe(true);
    expect(await item(page, 2).innerText()).toContain('https://social.example/p/only-a-link');
    // Approved: by when it will be taken down. Taken down: when, in the reader's zone.
    expect(await item(page, 0).getByText('It will be taken down by').innerText()).toBe(`It will be taken down by ${inZone(created.items[0].deadline, 'en-US', 'America/New_York')}.`);
    expect(await item(page, 3).getByText('It was taken down on').innerText()).toBe(`It was taken down on ${inZone(removedAt, 'en-US', 'America/New_York')}.`);
    expect(await item(page, 1).getByText('We will decide by').isVisible()).toBe(true);
    // Nothing more to withdraw once taken down.
    expect(await item(page, 3).getByRole('button').count()).toBe(0);
    await checkAndShoot(page, 'status-items-en');

    await page.setViewportSize(DESKTOP);
    await item(page, 1).getByRole('button', { name: 'Withdraw this item' }).click();
    const question = item(page, 1).getByRole('group');
    await question.waitFor();
    expect(await question.innerText()).toContain('Withdraw clip.mp4?');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('confirm-box');
    await checkAndShoot(page, 'status-item-withdraw-en');
    // "No" leaves everything as it was.
    await page.setViewportSize(DESKTOP);
    await question.getByRole('button', { name: 'No, keep it' }).click();
    expect(await item(page, 1).getAttribute('data-item-state')).toBe('pending');

    await item(page, 1).getByRole('button', { name: 'Withdraw this item' }).click();
    await item(page, 1).getByRole('button', { name: 'Yes, withdraw it' }).click();
    await page.getByText('You withdrew clip.mp4. We will not act on it.').waitFor();
    await expect.poll(() => item(page, 1).getAttribute('data-item-state')).toBe('withdrawn');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('status');
    expect(await page.locator('li.case-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-item-state')))).toEqual(['confirmed', 'withdrawn', 'pending', 'removed']);
    expect(await item(page, 1).getByRole('button').count()).toBe(0);
    // The rest of the request goes on: the whole-request withdraw is still offered.
    expect(await page.getByRole('button', { name: 'Withdraw my request' }).isVisible()).toBe(true);
    await checkAndShoot(page, 'status-item-withdrawn-en');
    await context.close();
  });

  it('in Italian on another device: reads the names back from the saved case file, and withdraws a link', { timeout: 180_000 }, async () => {
    const context = await newContext(harness, 'phone', { locale: 'it-IT', timezoneId: 'Europe/Rome', viewport: PHONE });
    const page = await context.newPage();
    await openCase(page);
    // No names on this device: kind and order, a video called a video.
    expect(await headings(page)).toEqual(['Immagine 1', 'Video 2', 'Link 3', 'Immagine 4']);
    expect(await item(page, 0).getByText('La rimozione è prevista entro').innerText()).toBe(`La rimozione è prevista entro ${inZone(created.items[0].deadline, 'it-IT', 'Europe/Rome')}.`);
    expect(await item(page, 3).getByText('Rimozione avvenuta il').innerText()).toBe(`Rimozione avvenuta il ${inZone(removedAt, 'it-IT', 'Europe/Rome')}.`);
    await checkAndShoot(page, 'status-items-it');

    // Another case's file is refused with what to do; this case's file names the items, read on the device.
    const input = page.getByLabel('Il file della pratica che hai salvato');
    await input.setInputFiles({ name: 'altro.txt', mimeType: 'text/plain', buffer: Buffer.from('Numero di pratica: TD-ZZZZ-ZZZZ\n  1. altro.jpg\n') });
    await page.getByText('Questo non è il file salvato di questa richiesta.').waitFor();
    const saved = ['Take it down: la tua richiesta', '', `Numero di pratica: ${created.caseNumber}`, 'PIN: ******', '', 'I tuoi nomi per gli elementi:', '  1. spiaggia.jpg', '  2. video.mp4', '  4. festa.png', ''].join('\n');
    await input.setInputFiles({ name: 'pratica.txt', mimeType: 'text/plain', buffer: Buffer.from(saved) });
    await expect.poll(() => headings(page)).toEqual(['Immagine 1: spiaggia.jpg', 'Video 2: video.mp4', 'Link 3', 'Immagine 4: festa.png']);
    expect(await input.count()).toBe(0);

    await item(page, 2).getByRole('button', { name: 'Ritira questo elemento' }).click();
    expect(await item(page, 2).getByRole('group').innerText()).toContain('Vuoi ritirare Link 3?');
    await checkAndShoot(page, 'status-item-withdraw-it');
    await page.setViewportSize(PHONE);
    await item(page, 2).getByRole('button', { name: 'Sì, ritiralo' }).click();
    await page.getByText('Hai ritirato Link 3.').waitFor();
    await expect.poll(() => item(page, 2).getAttribute('data-item-state')).toBe('withdrawn');
    // Its link is deleted with it.
    expect(await item(page, 2).innerText()).not.toContain('only-a-link');

    // Withdrawn meanwhile from another tab: the page says so in the reader's words and shows it as it is now.
    await item(page, 0).getByRole('button', { name: 'Ritira questo elemento' }).click();
    const elsewhere = await harness.app.inject({ method: 'POST', url: `/v1/cases/${created.caseNumber}/items/${created.items[0].id}/withdraw`, headers: { 'takedown-case-pin': created.pin } });
    expect(elsewhere.statusCode).toBe(200);
    await item(page, 0).getByRole('button', { name: 'Sì, ritiralo' }).click();
    await page.getByText('Questo elemento è già stato ritirato.').waitFor();
    await expect.poll(() => item(page, 0).getAttribute('data-item-state')).toBe('withdrawn');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('status');
    await context.close();
  });

  it('from the form: the tab keeps the file names, never sends them, and the saved case file lists them', { timeout: 180_000 }, async () => {
    const context = await newContext(harness, 'desktop', { locale: 'en-US', timezoneId: 'America/New_York', viewport: DESKTOP });
    const page = await context.newPage();
    const sent: string[] = [];
    page.on('request', (request) => sent.push(request.postData() ?? ''));
    const next = () => page.getByRole('button', { name: 'Next' }).click();
    await page.goto('/request');
    await page.getByLabel('I am the person in the pictures').check();
    await page.getByLabel('Your full name').fill('Alex Example');
    await next();
    await page.getByLabel('Link 1').fill('https://social.example/p/from-the-form');
    await next();
    await page.getByLabel('Choose pictures or videos').setInputFiles(PICTURE);
    await expect.poll(() => page.locator('li.picture[data-status="done"]').count(), { timeout: 60_000 }).toBe(1);
    await next();
    await page.getByLabel('I believe in good faith that this was shared without consent.').check();
    await page.getByLabel('Tell us briefly what happened').fill('Someone posted this without asking me.');
    await next();
    await page.getByLabel('Email address').fill('alex@example.org');
    await next();
    await page.getByLabel('Type your full name to sign').fill('Alex Example');
    await next();
    await page.getByRole('button', { name: 'Send my request' }).click();
    await page.getByRole('heading', { name: 'We got your request' }).waitFor();
    const caseNumber = (await page.getByTestId('case-number').textContent())!.trim();
    const pin = (await page.getByTestId('case-pin').textContent())!.trim();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as a file' }).click()]);
    const saved = readFileSync((await download.path())!, 'utf8');
    expect(saved).toContain(caseNumber);
    expect(saved).toContain('\n  2. pen-and-coaster.png\n');

    await page.getByRole('link', { name: 'Check a request' }).click();
    await page.getByLabel('Case number').fill(caseNumber);
    await page.getByLabel('PIN').fill(pin);
    await page.getByRole('button', { name: 'Check my request' }).click();
    await page.locator('li.case-item').first().waitFor();
    expect(await headings(page)).toEqual(['Link 1', 'Picture 2: pen-and-coaster.png']);
    // The name never left the device.
    expect(sent.filter((body) => body.includes('pen-and-coaster'))).toEqual([]);
    await context.close();
  });
});
