/**
 * Getting a new PIN in the browser, at desktop (1280×800) and phone (390×844) sizes: the case number and the
 * email address, a code that arrives at a real SMTP server, then the new PIN, which opens the case. And the
 * console page where staff see the messages that did not arrive. Every step passes axe; screenshots are saved
 * in test-artifacts/web.
 */
import { systemClock } from '@takedown/core';
import { createNotificationDispatcher, type NotificationDispatcher } from '@takedown/server';
import { TestMailServer } from '@takedown/testing/mail-server';
import { requestBody } from '@takedown/testing/requests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y.ts';
import { screenshot, STAFF_PASSWORD, startHarness, type Harness } from './harness.ts';

let harness: Harness;
let dispatcher: NotificationDispatcher;
const mail = new TestMailServer();

beforeAll(async () => {
  await mail.start();
  harness = await startHarness({ env: { TAKEDOWN_SMTP_URL: mail.url } });
  const { config, database, keys } = harness.app.services;
  dispatcher = createNotificationDispatcher({ config, database, clock: systemClock, keys });
}, 180_000);
afterAll(async () => {
  await dispatcher?.stop();
  await harness?.close();
  await mail.stop();
});

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, mobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, mobile: true },
] as const;

describe('getting a new PIN through the email address', () => {
  for (const size of SIZES) {
    it(`works at ${size.viewport.width}×${size.viewport.height}: empty fields and a wrong code say what to do, the right code gives a PIN that opens the case`, { timeout: 120_000 }, async () => {
      const email = `pat.${size.name}@example.org`;
      const created = await harness.app.inject({
        method: 'POST',
        url: '/v1/requests',
        payload: requestBody({ contact: { email }, items: [{ url: 'https://social.example/p/1' }] }),
      });
      expect(created.statusCode, created.body).toBe(201);
      const { caseNumber, pin: oldPin } = created.json<{ caseNumber: string; pin: string }>();

      const context = await harness.browser.newContext({ baseURL: harness.baseUrl, viewport: size.viewport, isMobile: size.mobile, hasTouch: size.mobile, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto('/status');
      await page.getByRole('link', { name: 'get a new PIN' }).click();
      await page.getByRole('heading', { name: 'Get a new PIN' }).waitFor();

      // Nothing filled in: each field says what to type.
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.getByText('Type your case number. It starts with TD-.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `pin-recovery-${size.name}-1-ask`);

      await page.getByLabel('Case number').fill(caseNumber);
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      await page.getByText('If the case number and the email address match').waitFor();
      // A calm word on what asking again costs (the same whether or not the address matched).
      expect(await page.getByTestId('code-budget').textContent()).toBe('You can ask for a code 2 more times. After that, you will need to wait 15 minutes before you can ask again.');
      expect(await seriousViolations(page)).toEqual([]);

      const before = mail.received.length;
      await dispatcher.drain();
      const message = mail.received.slice(before).find((m) => m.to.includes(email));
      expect(message?.subject).toBe('An update on your case');
      const code = /Your code is (\d{4} \d{4})/.exec(message?.text ?? '')?.[1];
      expect(code, message?.text).toBeDefined();

      // Wrong codes: the first only says so; from three tries left before a wait, the page says how many.
      const wrongCode = async () => {
        await page.getByLabel('Code from the email').fill('1111 1111');
        await page.getByRole('button', { name: 'Set a new PIN' }).click();
      };
      await wrongCode();
      await page.getByRole('alert').getByText('That code does not work.').waitFor();
      expect(await page.getByRole('alert').textContent()).not.toContain('more tries');
      await wrongCode();
      await wrongCode();
      await page.getByRole('alert').getByText('You have 3 more tries before a wait of 1 minute.').waitFor();
      await screenshot(page, `pin-recovery-${size.name}-2-code`);
      await page.getByLabel('Code from the email').fill(code!);
      await page.getByRole('button', { name: 'Set a new PIN' }).click();
      await page.getByRole('heading', { name: 'Your new PIN' }).waitFor();
      const newPin = (await page.getByTestId('new-pin').textContent())!.trim();
      expect(newPin).toMatch(/^\d{8}$/);
      expect(newPin).not.toBe(oldPin);
      expect(await seriousViolations(page)).toEqual([]);
      if (size.mobile) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.viewport.width);
      await screenshot(page, `pin-recovery-${size.name}-3-new-pin`);
      // Neither the case number, the address nor the code ever went into the address bar.
      expect(page.url()).toBe(`${harness.baseUrl}/recover`);

      await page.getByRole('link', { name: 'Check your request' }).click();
      await page.getByLabel('Case number').fill(caseNumber);
      await page.getByLabel('PIN').fill(newPin);
      await page.getByRole('button', { name: 'Check my request' }).click();
      await page.getByText(caseNumber).first().waitFor();

      // Asking for more codes: a word before the one that brings a wait, then until when the wait runs.
      await page.goto('/recover');
      await page.getByLabel('Case number').fill(caseNumber);
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.getByTestId('code-budget').getByText('You can ask for a code one more time.').waitFor();
      await page.getByRole('button', { name: 'ask again' }).click();
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.getByTestId('code-budget').getByText('If you need another code, you can ask again after').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `pin-recovery-${size.name}-4-wait`);
      await context.close();
    });
  }
});

describe('messages that did not arrive, in the console', () => {
  it('lists a notice the mail server refused, with the case number and why, and no address', { timeout: 120_000 }, async () => {
    await harness.addStaff('ada', 'admin');
    mail.refuse.add('gone@example.org');
    const created = await harness.app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: requestBody({ contact: { email: 'gone@example.org' }, items: [{ url: 'https://social.example/p/1' }], notify: { email: true } }),
    });
    const { caseNumber } = created.json<{ caseNumber: string }>();
    await dispatcher.drain();

    const context = await harness.browser.newContext({ baseURL: harness.baseUrl, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto('/review');
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.getByRole('heading', { name: 'Messages not delivered' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: caseNumber });
    await row.waitFor();
    expect(await row.textContent()).toContain('the mail server refused the recipient (SMTP 550)');
    expect(await page.content()).not.toContain('gone@example.org');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'review-messages-phone');
    await context.close();
  });
});
