/**
 * Opt-in sharing: only when the person ticks "share a copy", and only after the request is accepted, does the
 * picture travel, to its item's media endpoint; it is stored encrypted; the reviewer sees it blurred and in
 * greyscale, and unblurring it is recorded in the audit log.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y.ts';
import { newContext, screenshot, startHarness, STAFF_PASSWORD, VECTORS, type Harness } from './harness.ts';

const PICTURE = join(VECTORS, 'images/reg-test-input/dih/bridge-1-original.jpg');

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  await harness.addStaff('rita', 'reviewer');
});
afterAll(async () => harness?.close());

describe('sharing a copy with reviewers (opt-in)', () => {
  it('uploads the picture only when asked, stores it encrypted, and shows it blurred until an audited unblur', { timeout: 180_000 }, async () => {
    const context = await newContext(harness, 'phone');
    const page = await context.newPage();
    const sent: { url: string; body: Buffer }[] = [];
    page.on('request', (r) => sent.push({ url: r.url(), body: r.postDataBuffer() ?? Buffer.alloc(0) }));

    await page.goto('/request');
    await page.getByLabel('I am the person in the pictures').check();
    await page.getByLabel('Your full name').fill('Alex Example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Choose pictures or videos').setInputFiles(PICTURE);
    await page.locator('li.picture[data-status="done"]').waitFor({ timeout: 60_000 });
    await page.getByLabel('Yes, send a copy of my pictures to the reviewers').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('I believe in good faith that this was shared without consent.').check();
    await page.getByLabel('Tell us briefly what happened').fill('Posted without asking me.');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Phone number').fill('+1 555 010 0199');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Type your full name to sign').fill('Alex Example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Send my request' }).click();
    await page.getByRole('heading', { name: 'We got your request' }).waitFor();
    await page.getByText('You shared a copy of 1 picture with our reviewers.').waitFor();

    const picture = readFileSync(PICTURE);
    const carrying = sent.filter((r) => r.body.indexOf(picture.subarray(0, 256)) !== -1);
    expect(carrying.map((r) => new URL(r.url).pathname)).toEqual([expect.stringMatching(/^\/v1\/cases\/[^/]+\/items\/[0-9a-f-]{36}\/media$/)]);
    expect(carrying[0].body.equals(picture)).toBe(true);
    const intakeIndex = sent.findIndex((r) => r.url.endsWith('/v1/requests'));
    expect(intakeIndex).toBeGreaterThanOrEqual(0);
    expect(sent.indexOf(carrying[0])).toBeGreaterThan(intakeIndex);

    // At rest: encrypted, nothing of the picture in clear.
    const mediaDir = join(harness.dataDir, 'media');
    const stored = readdirSync(mediaDir);
    expect(stored).toHaveLength(1);
    const sealed = readFileSync(join(mediaDir, stored[0]));
    expect(sealed.indexOf(picture.subarray(0, 64))).toBe(-1);
    expect(sealed.indexOf(picture.subarray(100_000, 100_064))).toBe(-1);

    // The reviewer.
    const staff = await newContext(harness, 'desktop');
    const console = await staff.newPage();
    await console.goto('/review');
    await console.getByLabel('Username').fill('rita');
    await console.getByLabel('Password').fill(STAFF_PASSWORD);
    await console.getByRole('button', { name: 'Sign in' }).click();
    await console.locator('tbody tr[data-item-id] a').first().click();
    const blurred = console.getByTestId('blurred-preview');
    await blurred.waitFor();
    await expect.poll(() => blurred.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    const itemId = await console.evaluate(() => window.location.pathname.split('/').at(-1)!);
    const preview = await console.request.get(`/v1/review/items/${itemId}/media/preview`);
    expect(preview.status()).toBe(200);
    const meta = await sharp(await preview.body()).metadata();
    expect(meta.channels, 'the preview is greyscale').toBe(1);
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(480);
    expect(await seriousViolations(console)).toEqual([]);
    await screenshot(console, 'review-6-item-blurred-preview');

    const unblursBefore = await harness.app.services.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'media.unblurred').execute();
    expect(unblursBefore).toHaveLength(0);
    await console.getByRole('button', { name: 'Show unblurred (this is logged)' }).click();
    await console.getByTestId('unblurred-preview').waitFor();
    const unblurs = await harness.app.services.database.db.selectFrom('audit_events').select(['actor', 'item_id']).where('action', '=', 'media.unblurred').execute();
    expect(unblurs).toEqual([{ actor: 'staff:rita', item_id: itemId }]);
    await screenshot(console, 'review-7-item-unblurred');

    // Back to the person: add a link to the case, then withdraw it.
    const caseNumber = (await page.getByTestId('case-number').textContent())!.trim();
    const pin = (await page.getByTestId('case-pin').textContent())!.trim();
    await page.getByRole('link', { name: 'Check a request' }).click();
    await page.getByLabel('Case number').fill(caseNumber);
    await page.getByLabel('PIN').fill(pin);
    await page.getByRole('button', { name: 'Check my request' }).click();
    await page.getByLabel('Link to the page').fill('not a link');
    await page.getByRole('button', { name: 'Add this link' }).click();
    await page.getByText('This is not a complete web address. Please copy the whole address, starting with https://.').waitFor();
    await page.getByLabel('Link to the page').fill('https://social.example/p/77');
    await page.getByRole('button', { name: 'Add this link' }).click();
    await page.getByText('We added the link to your request.').waitFor();
    await expect.poll(() => page.locator('li.case-item').count()).toBe(2);
    await page.getByRole('button', { name: 'Withdraw my request' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw' }).click();
    await page.getByText('Your request is withdrawn. We will not act on it.').waitFor();
    await expect.poll(() => page.locator('li.case-item[data-item-state="withdrawn"]').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'public-11-withdrawn');
    await context.close();
    await staff.close();
  });
});
