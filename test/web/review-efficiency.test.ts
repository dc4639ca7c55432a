/**
 * Reviewer efficiency in Chromium (issue 17, item 4), at 1280×800 and 390×844: the queue groups a case's items
 * with markers; "Decide all" declines a whole case with one reason; after each decision the console lands on
 * the next item by deadline (decide-and-next); a request asked again is linked to the earlier case. Every page
 * passes axe (the queue's table region is reachable by keyboard) and screenshots are saved.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requestBody } from '@takedown/testing/requests';
import { expectAccessible } from './a11y.ts';
import { newContext, screenshot, startHarness, STAFF_PASSWORD, type Harness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  await harness.addStaff('rita', 'reviewer');
});
afterAll(async () => harness?.close());

/** Files a request over the API, one after the other (so deadlines order them), and answers its case number and items. */
async function file(overrides: Parameters<typeof requestBody>[0]): Promise<{ caseNumber: string; items: { id: string }[] }> {
  const filed = await harness.app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody(overrides) });
  expect(filed.statusCode).toBe(201);
  await new Promise((resolve) => setTimeout(resolve, 5)); // a distinct receipt time, so the deadlines differ
  return filed.json();
}

const itemIdOf = (page: Page) => page.evaluate(() => window.location.pathname.split('/').at(-1)!);

describe('reviewer efficiency in Chromium', () => {
  for (const [size, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
    it(`groups a case, declines it in one go, and moves on to the next item (${size})`, { timeout: 240_000 }, async () => {
      const tag = randomBytes(3).toString('hex');
      const email = `person.${tag}@example.org`;
      const many = await file({ contact: { email: `many.${tag}@example.org` }, shareMedia: false, items: [1, 2, 3].map((n) => ({ url: `https://pics.example/${tag}/${n}` })) });
      const video = { url: `https://clips.example/${tag}/v`, mediaType: 'video' as const, hashes: { md5: randomBytes(16).toString('hex') } };
      const first = await file({ contact: { email }, items: [video] });
      const again = await file({ contact: { email }, items: [video] });

      const context = await newContext(harness, size, { viewport });
      const page = await context.newPage();
      await page.goto('/review');
      await page.getByLabel('Username').fill('rita');
      await page.getByLabel('Password').fill(STAFF_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Review queue' }).waitFor();

      // Grouped: the three items of one case under its heading row; markers beside the video and the repeat.
      const group = page.locator(`tbody[data-case-number="${many.caseNumber}"]`);
      await expect.poll(() => group.locator('tr[data-item-id]').count()).toBe(3);
      expect(await group.locator('th[scope="rowgroup"]').innerText()).toContain('3 items');
      expect(await page.locator(`tr[data-item-id="${first.items[0].id}"] [data-marker="video"]`).count()).toBe(1);
      expect(await page.locator(`tr[data-item-id="${again.items[0].id}"] [data-marker="duplicate"]`).innerText()).toBe(`Duplicate of ${first.caseNumber}`);
      // The table scrolls sideways on a phone: its region takes keyboard focus.
      await page.getByRole('region', { name: /most urgent first/ }).focus();
      await expectAccessible(page, `the grouped queue (${size})`);
      await screenshot(page, `review-efficiency-1-queue-${size}`);

      // "Decide all 3": the item page opens with the whole case chosen; one reason declines all three.
      await group.getByRole('link', { name: `Decide all 3 undecided items of case ${many.caseNumber}` }).click();
      await page.getByRole('heading', { name: /Item in case/ }).waitFor();
      const all = page.getByLabel(/Decide all 3 undecided items of this case/);
      expect(await all.isChecked()).toBe(true);
      await page.getByLabel('Reason, if you decline').selectOption('not_on_platform');
      await expectAccessible(page, `the item page, deciding the whole case (${size})`);
      await screenshot(page, `review-efficiency-2-decide-all-${size}`);
      await page.getByRole('button', { name: /Decline all 3/ }).click();

      // Decide-and-next: the next item by deadline, with what was just decided.
      await page.getByTestId('decision-notice').filter({ hasText: `Declined: 3 items of case ${many.caseNumber}` }).waitFor();
      expect(await itemIdOf(page)).toBe(first.items[0].id);
      await expectAccessible(page, `the next item after a bulk decision (${size})`);
      await screenshot(page, `review-efficiency-3-next-${size}`);
      if (size === 'desktop') await page.locator('body').press('c');
      else await page.getByRole('button', { name: /Confirm removal/ }).click();

      // The repeat: linked to the earlier case, which is fine to ask again about.
      await page.getByTestId('decision-notice').filter({ hasText: `Removal confirmed: item 1 of case ${first.caseNumber}` }).waitFor();
      expect(await itemIdOf(page)).toBe(again.items[0].id);
      const link = page.getByTestId('repeat-of');
      expect(await link.innerText()).toContain(`in case ${first.caseNumber} (item 1), which is still open`);
      await expectAccessible(page, `a duplicate item (${size})`);
      await screenshot(page, `review-efficiency-4-duplicate-${size}`);
      await page.getByLabel('Reason, if you decline').selectOption('duplicate');
      await page.getByRole('button', { name: /^Decline/ }).click();

      // Nothing left: back to the queue, which says so.
      await page.getByRole('heading', { name: 'Review queue' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Nothing else waits for a decision in this queue.' }).waitFor();
      await expectAccessible(page, `the queue after the last decision (${size})`);
      await context.close();

      const states = await harness.app.services.database.db.selectFrom('items').select(['id', 'state']).where('id', 'in', [...many.items, ...first.items, ...again.items].map((i) => i.id)).execute();
      expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({
        [many.items[0].id]: 'declined', [many.items[1].id]: 'declined', [many.items[2].id]: 'declined',
        [first.items[0].id]: 'confirmed', [again.items[0].id]: 'declined',
      });
    });
  }
});
