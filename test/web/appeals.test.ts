/**
 * The uploader's appeal in the browser: a platform sends an appeal against a removal; in the reviewer console the
 * senior reviewer who confirmed the item sees the appeal but may not decide it; an admin decides it with reasons;
 * the person who asked sees on their status page that an appeal happened and how it ended. Screenshots are saved
 * and every page passes axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@takedown/core';
import { addPlatformKey } from '@takedown/server';
import { requestBody } from '@takedown/testing/requests';
import { expectAccessible } from './a11y.ts';
import { newContext, screenshot, startHarness, STAFF_PASSWORD, type Harness, signInAsStaff } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  await harness.addStaff('sam', 'senior');
  await harness.addStaff('ada', 'admin');
});
afterAll(async () => harness?.close());

/** A request confirmed by sam, removed by the platform, and appealed by its uploader, all over the API. */
async function appealedRemoval(): Promise<{ caseNumber: string; pin: string; appealId: string }> {
  const { app } = harness;
  const platform = await addPlatformKey(app.services.database, systemClock, { name: 'pics' }, 'test');
  const key = { authorization: `Bearer ${platform.token}` };
  expect((await app.inject({ method: 'PUT', url: '/v1/platform/hosts', headers: key, payload: { hosts: ['pics.example'] } })).statusCode).toBe(200);
  const filed = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ items: [{ url: 'https://pics.example/p/1' }] }) });
  expect(filed.statusCode).toBe(201);
  const { caseNumber, pin, items } = filed.json();
  const login = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'sam', password: STAFF_PASSWORD } });
  const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const sam = { cookie, 'x-csrf-token': login.json().csrfToken };
  expect((await app.inject({ method: 'POST', url: `/v1/review/items/${items[0].id}/decision`, headers: sam, payload: { decision: 'confirm' } })).statusCode).toBe(200);
  expect((await app.inject({ method: 'POST', url: `/v1/items/${items[0].id}/removed`, headers: key })).statusCode).toBe(200);
  const appeal = await app.inject({ method: 'POST', url: `/v1/items/${items[0].id}/appeals`, headers: key, payload: { statement: 'This is a picture of me, and I posted it myself.' } });
  expect(appeal.statusCode).toBe(201);
  return { caseNumber, pin, appealId: appeal.json().appealId };
}

describe('appeals in the reviewer console, in Chromium', () => {
  it('lists the appeal, keeps it from the item’s own reviewer, lets another decide it with reasons, and tells the person', { timeout: 240_000 }, async () => {
    const { caseNumber, pin, appealId } = await appealedRemoval();

    const samContext = await newContext(harness, 'desktop');
    const samPage = await samContext.newPage();
    await signInAsStaff(samPage, 'sam');
    await samPage.getByRole('link', { name: 'Appeals' }).click();
    await samPage.getByRole('heading', { name: 'Appeals', level: 1 }).waitFor();
    const row = samPage.locator(`tr[data-appeal-id="${appealId}"]`);
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('You decided the item');
    await expect.poll(() => row.textContent()).toContain(caseNumber);
    await expectAccessible(samPage, 'the appeal queue');
    await screenshot(samPage, 'review-appeals-1-queue');
    await row.getByRole('link').click();
    await samPage.getByRole('heading', { name: 'Appeal against a removal' }).waitFor();
    await samPage.getByText('You decided this item, so another senior reviewer must decide this appeal.').waitFor();
    expect(await samPage.getByRole('button', { name: /Uphold|Reject/ }).count()).toBe(0);
    await samContext.close();

    const adaContext = await newContext(harness, 'desktop');
    const page = await adaContext.newPage();
    await signInAsStaff(page, 'ada');
    await page.goto(`/review/appeals/${appealId}`);
    await page.getByRole('heading', { name: 'Appeal against a removal' }).waitFor();
    await page.getByText('This is a picture of me, and I posted it myself.').waitFor();
    await expectAccessible(page, 'an open appeal');
    await screenshot(page, 'review-appeals-2-open');
    // No reasons: the server's message, next to the field.
    await page.getByRole('button', { name: 'Reject: the removal stands' }).click();
    await page.getByRole('alert').filter({ hasText: /reasons/ }).waitFor();
    await page.getByLabel('Reasons (required)').fill('The person shown did not agree to this being posted.');
    await page.getByRole('button', { name: 'Reject: the removal stands' }).click();
    await page.locator('[data-appeal-outcome="rejected"]').waitFor();
    await expectAccessible(page, 'a decided appeal');
    await screenshot(page, 'review-appeals-3-decided');
    await adaContext.close();

    // The person who asked: the appeal and its outcome, nothing about who appealed.
    const person = await newContext(harness, 'phone');
    const status = await person.newPage();
    await status.goto('/');
    await status.getByRole('link', { name: 'Check a request' }).click();
    await status.getByLabel('Case number').fill(caseNumber);
    await status.getByLabel('PIN').fill(pin);
    await status.getByRole('button', { name: 'Check my request' }).click();
    await status.getByRole('heading', { name: `Your request ${caseNumber}` }).waitFor();
    const told = status.locator('[data-appeal-state="rejected"]');
    await told.waitFor();
    expect(await told.textContent()).toMatch(/asked us to look again.*stays down/);
    expect(await status.locator('main').innerText()).not.toContain('I posted it myself');
    await expectAccessible(status, 'the status page after an appeal');
    await screenshot(status, 'public-status-after-appeal');
    await person.close();
  });

  it('tells a suspended notifier what it means and lets them ask for another look, which a senior reviewer reads and lifts', { timeout: 240_000 }, async () => {
    const { app } = harness;
    const login = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'sam', password: STAFF_PASSWORD } });
    const sam = { cookie: ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': login.json().csrfToken };
    const cases: { caseNumber: string; pin: string; itemId: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const filed = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ contact: { email: 'repeat.notifier@example.org' } }) });
      const { caseNumber, pin, items } = filed.json();
      cases.push({ caseNumber, pin, itemId: items[0].id });
      expect((await app.inject({ method: 'POST', url: `/v1/review/items/${items[0].id}/decision`, headers: sam, payload: { decision: 'decline', reason: 'not_intimate' } })).statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: `/v1/review/cases/${caseNumber}/unfounded`, headers: sam, payload: { reason: 'An unrelated picture.' } })).statusCode).toBe(200);
    }

    const person = await newContext(harness, 'phone');
    const status = await person.newPage();
    await status.goto('/status');
    await status.getByLabel('Case number').fill(cases[0].caseNumber);
    await status.getByLabel('PIN').fill(cases[0].pin);
    await status.getByRole('button', { name: 'Check my request' }).click();
    const box = status.getByTestId('notifier-standing');
    await box.waitFor();
    expect(await box.innerText()).toMatch(/cannot take new requests from it[\s\S]*under 18/);
    await expectAccessible(status, 'the status page of a suspended notifier');
    await status.getByRole('button', { name: 'Ask us to look again' }).click();
    await box.getByText('Tell us in a few words why you think this is wrong.').waitFor();
    await status.getByLabel('Do you think this is wrong? Tell us why').fill('These pictures are of me. I did not know I had to use one request.');
    await status.getByRole('button', { name: 'Ask us to look again' }).click();
    await box.getByText('You asked us to look at this again.').waitFor();
    await screenshot(status, 'public-status-notifier-contested');
    await person.close();

    const staff = await newContext(harness, 'desktop');
    const page = await staff.newPage();
    await signInAsStaff(page, 'ada');
    await page.goto(`/review/items/${cases[2].itemId}`);
    await page.getByRole('heading', { name: 'The notifier' }).waitFor();
    await page.getByText('These pictures are of me.', { exact: false }).waitFor();
    await expectAccessible(page, 'the notifier box');
    await screenshot(page, 'review-notifier-box');
    await page.getByLabel('Reason (required)').fill('The notifier showed the pictures are of them.');
    await page.getByRole('button', { name: 'Lift the warning or suspension' }).click();
    await page.getByText('No warning or suspension.', { exact: false }).waitFor();
    await staff.close();
  });
});
