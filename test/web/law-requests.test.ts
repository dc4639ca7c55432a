/**
 * In Chromium, at 390×844 (phone) and 1280×800 (desktop): a person says the person shown was under 18 and sees
 * NCMEC's routes, saves the unfinished request and finishes it later from its code; the form never offers to
 * share a copy; a stranger's signature is refused; the request is taken with a typed name, a link listed twice
 * (merged) and a phone written the local way. A senior reviewer
 * sees the platform's reporting duty. The person downloads their data and deletes it, and is told what was kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y.ts';
import { screenshot, startHarness, STAFF_PASSWORD, VECTORS, type Harness } from './harness.ts';

const PICTURE = join(VECTORS, 'images/reg-test-input/dih/bridge-1-original.jpg');
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  await harness.addStaff('sam', 'senior');
}, 240_000);
afterAll(async () => harness?.close());

async function open(size: keyof typeof SIZES): Promise<BrowserContext> {
  const context = await harness.browser.newContext({ baseURL: harness.baseUrl, viewport: SIZES[size], deviceScaleFactor: 1, isMobile: size === 'phone', hasTouch: size === 'phone' });
  context.setDefaultTimeout(30_000);
  await context.route('https://www.google.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title>' }));
  return context;
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await seriousViolations(page), `axe on ${what}`).toEqual([]);
  const width = page.viewportSize()!.width;
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `width of ${what}`).toBeLessThanOrEqual(width);
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const next = (page: Page) => page.getByRole('button', { name: 'Next' }).click();

describe('minors, saved requests and the person’s own data, in Chromium', () => {
  for (const size of ['phone', 'desktop'] as const) {
    it(`on a ${size}: under 18, saved and finished later, no copy offered, reporting duty shown, data downloaded and deleted`, { timeout: 300_000 }, async () => {
      const context = await open(size);
      const page = await context.newPage();
      const sent: string[] = [];
      page.on('request', (request) => sent.push(`${request.method()} ${new URL(request.url()).pathname}${new URL(request.url()).search}`));

      // The age question, and NCMEC's routes at once on "yes".
      await page.goto('/request');
      await page.getByLabel('I am the person in the pictures').check();
      await page.getByLabel('Your full name').fill('Robin Young');
      await page.getByLabel('Yes, under 18').check();
      const help = page.getByTestId('minor-help');
      await help.waitFor();
      expect(await help.getByRole('link', { name: 'Take It Down' }).getAttribute('href')).toBe('https://takeitdown.ncmec.org/');
      expect(await help.getByRole('link', { name: 'CyberTipline' }).getAttribute('href')).toBe('https://report.cybertip.org/');
      await expectAccessible(page, 'the about step with the age question');
      await screenshot(page, `law-${size}-1-under-18`);

      // Save and finish later: a code shown once; the law's missing elements listed; no case made.
      await page.getByRole('button', { name: 'Save and finish later' }).click();
      const code = (await page.getByTestId('draft-code').textContent())!.trim();
      expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await page.getByTestId('saved-draft').innerText()).toContain('how we can reach you');
      await expectAccessible(page, 'the saved request');
      await screenshot(page, `law-${size}-2-saved`);

      // Later, in a fresh tab: the code brings the request back.
      await page.goto('/');
      await page.getByRole('link', { name: 'Finish a saved request' }).click();
      await page.getByLabel('Your code').fill(code);
      await expectAccessible(page, 'the resume page');
      await page.getByRole('button', { name: 'Open my request' }).click();
      await expect.poll(() => heading(page)).toContain('About you');
      expect(await page.getByLabel('Your full name').inputValue()).toBe('Robin Young');
      expect(await page.getByLabel('Yes, under 18').isChecked()).toBe(true);
      await next(page);
      // The same link listed twice is merged into one item, not refused.
      const link = `https://social.example/posts/${size}`;
      await page.getByLabel('Link 1').fill(link);
      await page.getByRole('button', { name: 'Add another link' }).click();
      await page.getByLabel('Link 2').fill(link);
      await next(page);
      await page.getByLabel('Choose pictures or videos').setInputFiles([PICTURE]);
      await expect.poll(() => page.locator('li.picture[data-status="done"]').count(), { timeout: 90_000 }).toBe(1);
      // Never offered: sharing a copy of a minor's picture.
      expect(await page.getByLabel('Yes, send a copy of my pictures to the reviewers').count()).toBe(0);
      await screenshot(page, `law-${size}-3-no-copy-offered`);
      await next(page);
      await page.getByLabel('I believe in good faith that this was shared without consent.').check();
      await page.getByLabel('Tell us briefly what happened').fill('A classmate posted this without asking me.');
      await next(page);
      await page.getByLabel('Email address').fill(`robin.${size}@example.org`);
      await page.getByLabel('Phone number').fill('(202) 555-0143');
      await next(page);
      // Someone who is neither the person shown nor acting for them cannot sign; a typed name, however written, can.
      await page.getByLabel('Type your full name to sign').fill('Pat Stranger');
      await next(page);
      await page.locator('#error-summary').waitFor();
      expect(await page.locator('#error-summary').innerText()).toContain('Robin Young');
      await page.getByLabel('Type your full name to sign').fill('robin young');
      await next(page);
      await expect.poll(() => heading(page)).toContain('Check and send');
      await page.getByRole('button', { name: 'Send my request' }).click();
      await page.getByRole('heading', { name: 'We got your request' }).waitFor();
      await page.getByTestId('minor-help').waitFor();
      await expectAccessible(page, 'the confirmation for a minor');
      await screenshot(page, `law-${size}-4-confirmation`);
      const caseNumber = (await page.getByTestId('case-number').textContent())!.trim();
      const pin = (await page.getByTestId('case-pin').textContent())!.trim();
      // The saved request became this case; its code opens nothing any more. Nothing went to /media.
      expect(sent.some((s) => s.startsWith('POST /v1/request-drafts/current/submit'))).toBe(true);
      expect(sent.filter((s) => s.includes('/media'))).toEqual([]);
      expect(sent.filter((s) => s.includes(code) || s.includes(pin))).toEqual([]);
      const gone = await harness.app.inject({ method: 'GET', url: '/v1/request-drafts/current', headers: { 'takedown-draft-token': code } });
      expect(gone.statusCode).toBe(404);

      // A senior reviewer sees the platform's reporting duty on the item.
      const status = await harness.app.inject({ method: 'GET', url: `/v1/cases/${caseNumber}`, headers: { 'takedown-case-pin': pin } });
      // One item for the link given twice, one for the picture.
      expect(status.json().items.map((i: { url?: string }) => i.url ?? 'picture')).toEqual([link, 'picture']);
      const itemId = status.json().items[0].id as string;
      const staff = await open(size);
      const console = await staff.newPage();
      await console.goto('/review');
      await console.getByLabel('Username').fill('sam');
      await console.getByLabel('Password').fill(STAFF_PASSWORD);
      await console.getByRole('button', { name: 'Sign in' }).click();
      await console.getByRole('button', { name: 'Sign out' }).waitFor();
      await console.goto(`/review/items/${itemId}`);
      const duty = console.getByTestId('minor-duty');
      await duty.waitFor();
      expect(await duty.innerText()).toContain('18 U.S.C. § 2258A');
      await expectAccessible(console, 'the item with a reporting duty');
      await screenshot(console, `law-${size}-5-review-duty`);
      await staff.close();

      // The person's own data: a download, then a deletion that says what was kept and why.
      await page.getByRole('link', { name: 'Check a request' }).click();
      await page.getByLabel('Case number').fill(caseNumber);
      await page.getByLabel('PIN').fill(pin);
      await page.getByRole('button', { name: 'Check my request' }).click();
      await page.getByTestId('personal-data').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
      const held = JSON.parse(readFileSync((await download.path())!, 'utf8'));
      expect(held).toMatchObject({ caseNumber, case: { under18WhenMade: true, shareMedia: false }, statements: { contact: { phone: '(202) 555-0143' } } });
      await expectAccessible(page, 'the status page with your data');
      await page.getByRole('button', { name: 'Delete my data' }).click();
      await page.getByRole('button', { name: 'Yes, delete my data' }).click();
      const erased = page.getByTestId('erased');
      await erased.waitFor();
      expect(await erased.innerText()).toMatch(/Why:/);
      await expectAccessible(page, 'the status page after deletion');
      await screenshot(page, `law-${size}-6-deleted`);
      await context.close();
    });
  }
});
