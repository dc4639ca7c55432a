/**
 * The compliance report in the reviewer console, in Chromium: one section per clock — a request on the
 * Australian 24-hour clock removed in about an hour stands apart from a US request on the 48-hour clock — and
 * the DSA files for staff who may export. Desktop (1280×800) and phone (390×844) screenshots; axe on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@takedown/core';
import { addPlatformKey } from '@takedown/server';
import { requestBody } from '@takedown/testing/requests';
import { seriousViolations } from './a11y.ts';
import { newContext, screenshot, startHarness, STAFF_PASSWORD, type Harness, signInAsStaff } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  await harness.addStaff('sam', 'senior');
  await harness.addStaff('aud', 'auditor');
  await removedRequests();
});
afterAll(async () => harness?.close());

/** A US and an AU request, each confirmed by sam and removed by the platform, over the API. */
async function removedRequests(): Promise<void> {
  const { app } = harness;
  const platform = await addPlatformKey(app.services.database, systemClock, { name: 'pics' }, 'test');
  const key = { authorization: `Bearer ${platform.token}` };
  expect((await app.inject({ method: 'PUT', url: '/v1/platform/hosts', headers: key, payload: { hosts: ['pics.example'] } })).statusCode).toBe(200);
  const login = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'sam', password: STAFF_PASSWORD } });
  const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const sam = { cookie, 'x-csrf-token': login.json().csrfToken };
  for (const [jurisdiction, path] of [['US', '/p/us'], ['AU', '/p/au']]) {
    const filed = await app.inject({ method: 'POST', url: '/v1/requests', payload: requestBody({ jurisdiction, items: [{ url: `https://pics.example${path}` }] }) });
    expect(filed.statusCode).toBe(201);
    const itemId = filed.json().items[0].id;
    expect((await app.inject({ method: 'POST', url: `/v1/review/items/${itemId}/decision`, headers: sam, payload: { decision: 'confirm' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/v1/items/${itemId}/removed`, headers: key })).statusCode).toBe(200);
  }
}

describe('the compliance report per clock, in Chromium', () => {
  it('shows each jurisdiction’s clock on its own, with the DSA files for the auditor', { timeout: 240_000 }, async () => {
    for (const [size, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
      const context = await newContext(harness, size, { viewport });
      const page = await context.newPage();
      await signInAsStaff(page, 'aud');
      await page.getByRole('link', { name: 'Compliance' }).click();
      const au = page.getByRole('region', { name: 'AU: 24-hour deadline' });
      const us = page.getByRole('region', { name: 'US: 48-hour deadline' });
      await au.waitFor();
      await us.waitFor();
      // Each clock's chart counts only its own removals, against its own line.
      await au.getByText('1 of 1 removals within 24 hours.').waitFor();
      await us.getByText('1 of 1 removals within 48 hours.').waitFor();
      expect(await au.getByText('of 1 request due was acted on within 24 hours').count()).toBe(1);
      expect(await page.getByText('2 requests and 2 items received in this period.').count()).toBe(1);
      const csv = page.getByRole('link', { name: 'Transparency report (CSV)' });
      expect(await csv.getAttribute('href')).toMatch(/^\/v1\/reports\/dsa\/transparency\.csv\?from=/);
      const download = await page.request.get((await csv.getAttribute('href'))!);
      expect(download.status()).toBe(200);
      expect((await download.text()).split('\r\n')[0]).toBe('section,provision,field,value,status,note');
      expect(await seriousViolations(page), `axe on the compliance report (${size})`).toEqual([]);
      await screenshot(page, `review-compliance-clocks-${size}`);
      await context.close();
    }
  });

  it('shows a senior reviewer the report without the DSA files', { timeout: 120_000 }, async () => {
    const context = await newContext(harness, 'desktop');
    const page = await context.newPage();
    await signInAsStaff(page, 'sam');
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('region', { name: 'US: 48-hour deadline' }).waitFor();
    expect(await page.getByRole('heading', { name: 'EU Digital Services Act files' }).count()).toBe(0);
    await context.close();
  });
});
