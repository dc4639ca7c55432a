/**
 * Jurisdictions and regulators' notices in the reviewer console: a reviewer sees which rules a case runs on and
 * why (here the platform's setting); a senior reviewer enters an eSafety removal notice, is told what to fix,
 * and finds its item in the queue marked as a notice, due when the notice says. Screenshots are saved (desktop
 * and phone) and every page passes axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@takedown/core';
import { addPlatformKey } from '@takedown/server';
import { requestBody } from '@takedown/testing/requests';
import { expectAccessible } from './a11y.ts';
import { newContext, screenshot, startHarness, type Harness, signInAsStaff } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  await harness.addStaff('sam', 'senior');
});
afterAll(async () => harness?.close());

describe('jurisdictions and regulator notices in the reviewer console, in Chromium', () => {
  it("shows the rules and why, and takes a regulator's notice whose period sets the deadline", { timeout: 240_000 }, async () => {
    const { app } = harness;
    const platform = await addPlatformKey(app.services.database, systemClock, { name: 'pics' }, 'test');
    const key = { authorization: `Bearer ${platform.token}` };
    expect((await app.inject({ method: 'PUT', url: '/v1/platform/hosts', headers: key, payload: { hosts: ['pics.example'] } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: '/v1/platform/jurisdiction', headers: key, payload: { jurisdiction: 'AU' } })).statusCode).toBe(200);
    const filed = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ items: [{ url: 'https://pics.example/p/1' }] }) });
    expect(filed.statusCode).toBe(201);

    const context = await newContext(harness, 'desktop', { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInAsStaff(page, 'sam');
    await page.goto(`/review/items/${filed.json().items[0].id}`);
    await page.getByTestId('jurisdiction').waitFor();
    expect(await page.getByTestId('jurisdiction').textContent()).toBe('Rules: AU, 24-hour deadline. The platform pics set this.');

    await page.getByRole('link', { name: 'Regulator notices' }).click();
    await page.getByRole('heading', { name: 'Regulator notices', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'No notices entered yet.' }).waitFor();
    await page.getByLabel('Rules the notice is made under').selectOption('AU');
    expect(await page.getByLabel('Regulator', { exact: true }).inputValue()).toBe('eSafety Commissioner');
    // Nothing but the regulator: the first thing to fix is named, at its field, and takes focus.
    await page.getByRole('button', { name: 'Enter the notice' }).click();
    await page.getByText('Enter the regulator’s reference for the notice.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('notice-reference');
    await expectAccessible(page, 'the notice form with an error');
    await page.getByLabel('The regulator’s reference').fill('RN-2026-0042');
    await page.getByLabel('Hours to remove the content').fill('24');
    await page.getByLabel('Web addresses in the notice, one per line').fill('https://pics.example/p/notice\nhttps://elsewhere.example/p/9');
    await page.getByRole('button', { name: 'Enter the notice' }).click();
    const status = page.getByRole('status');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/^Notice entered as case TD-[A-Z0-9-]+\. Its 2 items are in the queue, due by /);
    await page.locator('tr[data-notice-id]').first().waitFor();
    expect(await page.locator('tr[data-notice-id]').first().textContent()).toContain('RN-2026-0042');
    await expectAccessible(page, 'the notices page');
    await screenshot(page, 'review-notices-1-entered');

    const firstItem = await status.getByRole('link', { name: 'Open the first item' }).getAttribute('href');
    // The same reference again: the server names the case it opened.
    await page.getByLabel('The regulator’s reference').fill('RN-2026-0042');
    await page.getByLabel('Web addresses in the notice, one per line').fill('https://pics.example/p/notice');
    await page.getByRole('button', { name: 'Enter the notice' }).click();
    await page.getByText(/This notice was entered already: case TD-/).waitFor();

    await page.goto(firstItem!);
    await page.getByTestId('regulator-notice').waitFor();
    expect(await page.getByTestId('regulator-notice').textContent()).toMatch(/eSafety Commissioner, reference RN-2026-0042\. The notice gives 24 hours from .*\. Entered by staff:sam\./);
    expect(await page.getByTestId('jurisdiction').textContent()).toBe('Rules: AU. The regulator’s notice sets the deadline.');
    await page.getByText('This case comes from a regulator’s notice. There is no requester and no statement.').waitFor();
    await expectAccessible(page, 'a notice item');
    await screenshot(page, 'review-notices-2-item');

    await page.getByRole('link', { name: 'Queue', exact: true }).click();
    await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
    await page.getByText('Notice: eSafety Commissioner').first().waitFor();
    expect(await page.getByText('Notice: eSafety Commissioner').count()).toBe(2);
    await screenshot(page, 'review-notices-3-queue');
    await context.close();

    const phone = await newContext(harness, 'phone', { viewport: { width: 390, height: 844 } });
    const phonePage = await phone.newPage();
    await signInAsStaff(phonePage, 'sam');
    await phonePage.goto('/review/notices');
    await phonePage.locator('tr[data-notice-id]').first().waitFor();
    await expectAccessible(phonePage, 'the notices page on a phone');
    await screenshot(phonePage, 'review-notices-4-phone');
    await phone.close();
  });
});
