/**
 * The whole journey in a real browser: a person files a request with two pictures and a link on a 360 px
 * phone, gets a case number, checks the status; a reviewer signs in, finds the items at the top of the queue,
 * confirms one and declines the other; the person sees the new status. Along the way: no request carries the
 * pictures' bytes, every page passes axe with no serious or critical violation, and screenshots are saved.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { seriousViolations } from './a11y.ts';
import { fleschKincaidGrade } from './readability.ts';
import { systemClock } from '@takedown/core';
import { recordRemoval } from '@takedown/server';
import { newContext, screenshot, startHarness, VECTORS, type Harness, signInAsStaff } from './harness.ts';

const PICTURE_A = join(VECTORS, 'images/reg-test-input/dih/bridge-1-original.jpg');
const PICTURE_B = join(VECTORS, 'images/reg-test-input/pen-and-coaster.png');
const LINK = 'https://social.example/posts/8842';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  await harness.addStaff('rita', 'reviewer');
  await harness.addStaff('sam', 'senior');
  await harness.addStaff('aud', 'auditor');
});
afterAll(async () => harness?.close());

/** Every request the page sends, with its body, to check what leaves the device. */
function recordRequests(page: Page): { url: string; method: string; body: Buffer }[] {
  const sent: { url: string; method: string; body: Buffer }[] = [];
  page.on('request', (request: Request) => {
    sent.push({ url: request.url(), method: request.method(), body: request.postDataBuffer() ?? Buffer.alloc(0) });
  });
  return sent;
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await seriousViolations(page), `axe on ${what}`).toEqual([]);
  // On the phone, nothing is wider than the 360 px screen (no sideways scrolling).
  const viewport = page.viewportSize();
  if (viewport && viewport.width <= 360) {
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `width of ${what}`).toBeLessThanOrEqual(viewport.width);
  }
}

/** The page's main text reads at US grade 8 or lower (Flesch–Kincaid). */
async function expectPlainLanguage(page: Page, what: string): Promise<void> {
  const { grade } = fleschKincaidGrade(await page.locator('main').innerText());
  console.log(`reading grade of ${what}: ${grade}`);
  expect(grade, `reading grade of ${what}`).toBeLessThanOrEqual(8);
}

async function next(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
}

/** Fills the form up to the review step. */
async function fillRequest(page: Page, options: { pictures: string[]; link?: string; linkFirstPicture?: boolean; share?: boolean; shots?: string }) {
  await page.goto('/request');
  await page.getByLabel('I am the person in the pictures').check();
  await page.getByLabel('Your full name').fill('Alex Example');
  if (options.shots) {
    await expectAccessible(page, 'the about step');
    await screenshot(page, `${options.shots}-1-about`);
  }
  await next(page);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Where it is');
  if (options.link) await page.getByLabel('Link 1').fill(options.link);
  if (options.shots) {
    await expectAccessible(page, 'the links step');
    await screenshot(page, `${options.shots}-2-links`);
  }
  await next(page);
  await page.getByLabel('Choose pictures or videos').setInputFiles(options.pictures);
  await expect.poll(() => page.locator('li.picture[data-status="done"]').count(), { timeout: 60_000 }).toBe(options.pictures.length);
  if (options.linkFirstPicture) await page.getByLabel('Where is picture 1 posted?').selectOption({ label: `Link 1: ${options.link}` });
  if (options.share) await page.getByLabel('Yes, send a copy of my pictures to the reviewers').check();
  if (options.shots) {
    await expectAccessible(page, 'the pictures step');
    await screenshot(page, `${options.shots}-3-pictures`);
  }
  await next(page);
  await page.getByLabel('I believe in good faith that this was shared without consent.').check();
  await page.getByLabel('Tell us briefly what happened').fill('Someone I used to date posted these without asking me.');
  if (options.shots) {
    await expectAccessible(page, 'the statement step');
    await screenshot(page, `${options.shots}-4-statement`);
  }
  await next(page);
  await page.getByLabel('Email address').fill('alex@example.org');
  if (options.shots) {
    await expectAccessible(page, 'the contact step');
    await screenshot(page, `${options.shots}-5-contact`);
  }
  await next(page);
  await page.getByLabel('Type your full name to sign').fill('Alex Example');
  if (options.shots) {
    await expectAccessible(page, 'the sign step');
    await screenshot(page, `${options.shots}-6-sign`);
  }
  await next(page);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Check and send');
}

async function sendAndReadCase(page: Page): Promise<{ caseNumber: string; pin: string }> {
  await page.getByRole('button', { name: 'Send my request' }).click();
  await page.getByRole('heading', { name: 'We got your request' }).waitFor();
  return {
    caseNumber: (await page.getByTestId('case-number').textContent())!.trim(),
    pin: (await page.getByTestId('case-pin').textContent())!.trim(),
  };
}

async function checkStatus(page: Page, caseNumber: string, pin: string): Promise<void> {
  await page.getByRole('link', { name: 'Check a request' }).click();
  await page.getByLabel('Case number').fill(caseNumber);
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Check my request' }).click();
  await page.getByRole('heading', { name: `Your request ${caseNumber}` }).waitFor();
}

describe('the request journey, in Chromium', () => {
  it('files a request with two pictures and a link, is reviewed, and the person sees the result', { timeout: 240_000 }, async () => {
    const person = await newContext(harness, 'phone');
    const page = await person.newPage();
    const sent = recordRequests(page);

    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: /Leave this site quickly/ }).isVisible()).toBe(true);
    await expectAccessible(page, 'the landing page');
    await expectPlainLanguage(page, 'the landing page');
    await screenshot(page, 'public-0-landing-phone');
    // Nothing on the phone layout is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await fillRequest(page, { pictures: [PICTURE_A, PICTURE_B], link: LINK, linkFirstPicture: true, shots: 'public' });
    await expectAccessible(page, 'the review step');
    await screenshot(page, 'public-7-review');
    const { caseNumber, pin } = await sendAndReadCase(page);
    expect(caseNumber).not.toBe('');
    expect(pin).toMatch(/^\d{4,12}$/);
    await expectAccessible(page, 'the confirmation page');
    await expectPlainLanguage(page, 'the confirmation page');
    await screenshot(page, 'public-8-confirmation');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await checkStatus(page, caseNumber, pin);
    await expect.poll(() => page.locator('li.case-item').count()).toBe(2);
    expect(await page.locator('li.case-item[data-item-state="pending"]').count()).toBe(2);
    await expectAccessible(page, 'the status page');
    await expectPlainLanguage(page, 'the status page');
    await screenshot(page, 'public-9-status');

    // The promise on the pictures step: nothing the page sent holds the pictures' bytes.
    const pictures = [readFileSync(PICTURE_A), readFileSync(PICTURE_B)];
    for (const request of sent) {
      for (const picture of pictures) {
        expect(request.body.indexOf(picture.subarray(0, 256)), `${request.method} ${request.url} carries picture bytes`).toBe(-1);
      }
      expect(request.body.length, `${request.method} ${request.url} body size`).toBeLessThan(16 * 1024);
      expect(request.url).not.toContain('/media');
    }
    const intake = sent.find((r) => r.url.endsWith('/v1/requests') && r.method === 'POST');
    expect(intake, 'the request was sent').toBeDefined();
    const body = JSON.parse(intake!.body.toString('utf8'));
    expect(body.shareMedia).toBe(false);
    expect(body.items).toHaveLength(2);
    expect(body.items[0].url).toBe(LINK);
    expect(body.items[0].hashes.pdq).toMatch(/^[0-9a-f]{64}$/);
    expect(body.items[1].hashes.sha256).toMatch(/^[0-9a-f]{64}$/);

    // The reviewer.
    const staff = await newContext(harness, 'desktop');
    const console = await staff.newPage();
    await console.goto('/review');
    await console.getByRole('heading', { name: 'Sign in to the review console' }).waitFor();
    await expectAccessible(console, 'the sign-in page');
    await screenshot(console, 'review-0-login');
    await signInAsStaff(console, 'rita');
    await console.getByRole('heading', { name: 'Review queue' }).waitFor();
    const rows = console.locator('tbody tr[data-item-id]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain(caseNumber);
    expect(await rows.first().textContent()).toMatch(/4[67] h \d+ min left/);
    // Reviewers see no audit or senior queue link: the console hides what the role cannot do.
    expect(await console.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await console.getByRole('link', { name: 'Senior queue' }).count()).toBe(0);
    await expectAccessible(console, 'the queue');
    await screenshot(console, 'review-1-queue');

    await rows.first().getByRole('link').click();
    await console.getByRole('heading', { name: /Item in case/ }).waitFor();
    const confirmedItemId = await console.evaluate(() => window.location.pathname.split('/').at(-1)!);
    expect(await console.getByText(LINK).first().isVisible()).toBe(true);
    expect(await console.getByText('Someone I used to date posted these without asking me.').isVisible()).toBe(true);
    await expectAccessible(console, 'the item page');
    await screenshot(console, 'review-2-item');
    // Keyboard shortcut C: confirm removal. Decide-and-next: the console moves on to the case's other item.
    await console.locator('body').press('c');
    await console.getByTestId('decision-notice').filter({ hasText: 'Removal confirmed: item' }).waitFor();
    await expect.poll(() => console.evaluate(() => window.location.pathname.split('/').at(-1))).not.toBe(confirmedItemId);
    await screenshot(console, 'review-3-item-confirmed');
    // Declining without a reason says what to do.
    await console.getByRole('button', { name: /Decline/ }).click();
    await console.getByText('Choose a reason to decline from the list.').waitFor();
    await console.getByLabel('Reason, if you decline').selectOption('not_on_platform');
    await console.getByRole('button', { name: /Decline/ }).click();
    // Nothing else waits: back in the queue, which says so.
    await console.getByRole('status').filter({ hasText: 'Nothing else waits for a decision in this queue.' }).waitFor();

    // The platform removes the confirmed item (what its POST /v1/items/:id/removed records): the clock stops.
    const removal = await recordRemoval(harness.app.services.database, systemClock, confirmedItemId, 'platform:test');
    expect(removal.kind).toBe('ok');

    // The person sees the new status.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.locator('li.case-item[data-item-state="removed"]').count()).toBe(1);
    expect(await page.locator('li.case-item[data-item-state="declined"]').count()).toBe(1);
    expect(await page.getByText('We could not find it on our site.').isVisible()).toBe(true);
    await screenshot(page, 'public-10-status-after-review');

    // The auditor sees the audit log and the compliance page, and no queue.
    await console.getByRole('button', { name: 'Sign out' }).click();
    await signInAsStaff(console, 'aud');
    await console.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(await console.getByRole('link', { name: 'Queue' }).count()).toBe(0);
    await expect.poll(() => console.locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await console.locator('tbody').textContent()).toContain('staff:rita');
    await expectAccessible(console, 'the audit page');
    await screenshot(console, 'review-4-audit');
    await console.getByRole('link', { name: 'Compliance' }).click();
    await console.getByRole('heading', { name: 'Time to removal' }).waitFor();
    await console.getByText('1 of 1 removals within 48 hours.').waitFor();
    await expectAccessible(console, 'the compliance page');
    await screenshot(console, 'review-5-compliance');

    // A senior reviewer also has the senior queue.
    await console.getByRole('button', { name: 'Sign out' }).click();
    await signInAsStaff(console, 'sam');
    await console.getByRole('link', { name: 'Senior queue' }).click();
    await console.getByRole('heading', { name: 'Senior queue' }).waitFor();
    await expectAccessible(console, 'the senior queue');
    await screenshot(console, 'review-8-senior-queue');
    await person.close();
    await staff.close();
  });
});
