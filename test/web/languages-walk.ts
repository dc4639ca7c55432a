/**
 * What the language tests (languages-*.test.ts) share: the languages with a browser locale and a time zone,
 * one server per test file with a real SMTP server and the staff accounts, a browser context in a language,
 * and the walk through every public page and state with its checks. The tests are in three files so that two
 * test processes share the work: every public page on a phone; the desktop layout, dates and the choice of
 * language; the console and the accessibility tree.
 */
import { systemClock } from '@takedown/core';
import { createNotificationDispatcher, type NotificationDispatcher } from '@takedown/server';
import { TestMailServer } from '@takedown/testing/mail-server';
import { afterAll, beforeAll, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { seriousViolations } from './a11y.ts';
import { newContext, screenshot, startHarness, type Harness } from './harness.ts';

export const LANGUAGES = [
  { locale: 'en', browser: 'en-US', zone: 'America/New_York' },
  { locale: 'it', browser: 'it-IT', zone: 'Europe/Rome' },
  { locale: 'es', browser: 'es-MX', zone: 'America/Mexico_City' },
  { locale: 'fr', browser: 'fr-FR', zone: 'Europe/Paris' },
  { locale: 'de', browser: 'de-DE', zone: 'Europe/Berlin' },
] as const;
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export let harness: Harness;
export let dispatcher: NotificationDispatcher;
export const mail = new TestMailServer();

/** Starts the mail server, the server (sending mail there) and its dispatcher before the file's tests, with a reviewer, an auditor and an admin. */
export function useLanguageSite(): void {
  beforeAll(async () => {
    await mail.start();
    harness = await startHarness({ env: { TAKEDOWN_SMTP_URL: mail.url } });
    const { config, database, keys } = harness.app.services;
    dispatcher = createNotificationDispatcher({ config, database, clock: systemClock, keys });
    await harness.addStaff('rina', 'reviewer');
    await harness.addStaff('aldo', 'auditor');
    await harness.addStaff('ada', 'admin');
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await harness?.close();
    await mail.stop();
  });
}

/** A context whose browser speaks `browser` in time zone `zone`, and the page's "[i18n]" console errors. */
export async function open(language: { browser: string; zone: string }, viewport = PHONE): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await newContext(harness, viewport.width < 500 ? 'phone' : 'desktop', { locale: language.browser, timezoneId: language.zone, viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('[i18n]')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

export const heading = (page: Page) => page.locator('main h1').innerText();
export const submit = (page: Page) => page.locator('main form button[type="submit"]').click();

/** Walks every public page and state; returns each state's heading. */
export async function everyState(page: Page, locale: string, problems: string[], shots: boolean): Promise<Record<string, string>> {
  const headings: Record<string, string> = {};
  const check = async (state: string) => {
    await page.locator('main h1').waitFor();
    expect(problems, `${locale} ${state}: messages`).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.lang), `${locale} ${state}: lang`).toBe(locale);
    expect(await seriousViolations(page), `${locale} ${state}: axe`).toEqual([]);
    const width = page.viewportSize()!.width;
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${locale} ${state}: width`).toBeLessThanOrEqual(width);
    headings[state] = await heading(page);
    if (shots) await screenshot(page, `lang-${locale}-${width}-${state}`);
  };

  await page.goto('/');
  await check('landing');
  // A page the site does not have (the server answers such an address with 404 itself; inside the app the
  // router shows its own page).
  await page.evaluate(() => {
    window.history.pushState(null, '', '/no-such-page');
    window.dispatchEvent(new PopStateEvent('popstate'));
  });
  await check('not-found');
  await page.goto('/request/done');
  await check('done-empty');

  await page.goto('/request');
  await check('about');
  await submit(page);
  await page.locator('#error-summary').waitFor();
  await check('about-errors');
  await page.locator('#field-requester-role').check();
  await page.locator('#field-requester-fullName').fill('Alex Example');
  // The age question with NCMEC's routes, and a request saved to finish later (sent from its draft below).
  await page.locator('#under18-yes').check();
  await page.getByTestId('minor-help').waitFor();
  await check('about-minor');
  await page.locator('#under18-no').check();
  await page.locator('.save-later button').click();
  await page.getByTestId('saved-draft').waitFor();
  await check('about-saved');
  await submit(page);
  await page.locator('#field-links-0').fill('social.example/posts/1 nothing');
  await submit(page);
  await page.locator('#error-summary').waitFor();
  await check('links-errors');
  await page.locator('#field-links-0').fill('https://social.example/posts/1');
  await submit(page);
  await check('pictures');
  await submit(page);
  await submit(page);
  await page.locator('#error-summary').waitFor();
  await check('statement-errors');
  await page.locator('#field-goodFaith-affirmed').check();
  await page.locator('#field-goodFaith-statement').fill('Posted without asking me.');
  await submit(page);
  await page.locator('#field-contact-email').fill('alex@');
  await submit(page);
  await page.locator('#error-summary').waitFor();
  await check('contact-errors');
  await page.locator('#field-contact-email').fill('alex@example.org');
  await submit(page);
  await page.locator('#field-signature-fullName').fill('Someone Else');
  await submit(page);
  await page.locator('#error-summary').waitFor();
  await check('sign-errors');
  await page.locator('#field-signature-fullName').fill('Alex Example');
  await submit(page);
  await page.locator('.review-list').waitFor();
  await check('review');
  await submit(page);
  await page.getByTestId('case-number').waitFor();
  await check('done');
  const caseNumber = (await page.getByTestId('case-number').innerText()).trim();
  const pin = (await page.getByTestId('case-pin').innerText()).trim();

  await page.goto('/status');
  await submit(page);
  await page.locator('.field-error').first().waitFor();
  await check('status-empty');
  await page.locator('#case-number').fill(caseNumber);
  await page.locator('#case-pin').fill('00000000');
  await submit(page);
  await page.locator('#status-error').waitFor();
  await check('status-wrong-pin');
  await page.locator('#case-pin').fill(pin);
  await submit(page);
  await page.locator('li.case-item').first().waitFor();
  await check('status-case');
  await page.locator('.button', { hasText: /./ }).last().click();
  await page.locator('.confirm-box').waitFor();
  await check('status-withdraw');

  // A new PIN through the email address given with the request (the code comes from a real SMTP server).
  await page.goto('/recover');
  await submit(page);
  await page.locator('.field-error').first().waitFor();
  await check('recover-empty');
  await page.locator('#recover-case-number').fill(caseNumber);
  await page.locator('#recover-email').fill('alex@example.org');
  const before = mail.received.length;
  await submit(page);
  await page.locator('#recover-code').waitFor();
  await check('recover-sent');
  await page.locator('#recover-code').fill('1111 1111');
  await submit(page);
  await page.locator('main .error-summary').waitFor();
  await check('recover-wrong-code');
  await dispatcher.drain();
  const message = mail.received.slice(before).find((m) => m.to.includes('alex@example.org'));
  const code = /\b(\d{4} \d{4})\b/.exec(message?.text ?? '')?.[1];
  expect(code, `${locale} recovery email: ${message?.text}`).toBeDefined();
  await page.locator('#recover-code').fill(code!);
  await submit(page);
  await page.getByTestId('new-pin').waitFor();
  await check('recover-new-pin');

  await page.goto('/request/resume');
  await check('resume');
  await page.locator('#draft-code').fill('x'.repeat(43));
  await submit(page);
  await page.locator('#draft-code-error').waitFor();
  await check('resume-not-found');
  return headings;
}
