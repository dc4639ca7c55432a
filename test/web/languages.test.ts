/**
 * Every public page and state in every language, in Chromium: the request steps (empty and with errors), the
 * confirmation, the status page (wrong PIN, the case, the withdraw question), getting a new PIN (empty fields,
 * the code sent to a real SMTP server, a wrong code, the new PIN), the page-not-found page. On each:
 * no missing message (react-intl reports one on the console with "[i18n]", which fails the test), the page's
 * `lang`, a heading that is not the English one, axe clean, no sideways scrolling on a 390 px phone, and dates
 * in the reader's language and time zone. Then: Accept-Language picks the language, `?lang=` wins, the choice
 * lasts for the tab, and the visible switch changes the language without losing what was typed. The reviewer
 * console in Italian (and its messages and second-factor pages at both sizes), the focus ring's contrast, and
 * the request journey read through the accessibility tree.
 */
import { systemClock } from '@takedown/core';
import { createNotificationDispatcher, type NotificationDispatcher } from '@takedown/server';
import { TestMailServer } from '@takedown/testing/mail-server';
import { requestBody } from '@takedown/testing/requests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { seriousViolations } from './a11y.ts';
import { newContext, screenshot, startHarness, STAFF_PASSWORD, type Harness } from './harness.ts';

const LANGUAGES = [
  { locale: 'en', browser: 'en-US', zone: 'America/New_York' },
  { locale: 'it', browser: 'it-IT', zone: 'Europe/Rome' },
  { locale: 'es', browser: 'es-MX', zone: 'America/Mexico_City' },
  { locale: 'fr', browser: 'fr-FR', zone: 'Europe/Paris' },
  { locale: 'de', browser: 'de-DE', zone: 'Europe/Berlin' },
] as const;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

let harness: Harness;
let dispatcher: NotificationDispatcher;
const mail = new TestMailServer();
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

/** A context whose browser speaks `browser` in time zone `zone`, and the page's "[i18n]" console errors. */
async function open(language: { browser: string; zone: string }, viewport = PHONE): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await newContext(harness, viewport.width < 500 ? 'phone' : 'desktop', { locale: language.browser, timezoneId: language.zone, viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('[i18n]')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

const heading = (page: Page) => page.locator('main h1').innerText();
const submit = (page: Page) => page.locator('main form button[type="submit"]').click();

/** Walks every public page and state; returns each state's heading. */
async function everyState(page: Page, locale: string, problems: string[], shots: boolean): Promise<Record<string, string>> {
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

describe('languages, in Chromium', () => {
  const englishHeadings: Record<string, string> = {};

  it('shows every public page and state in each of the five languages, complete, accessible and fitting a phone', { timeout: 900_000 }, async () => {
    for (const language of LANGUAGES) {
      const { context, page, problems } = await open(language);
      const headings = await everyState(page, language.locale, problems, true);
      if (language.locale === 'en') Object.assign(englishHeadings, headings);
      else {
        for (const [state, text] of Object.entries(headings)) expect(text, `${language.locale} ${state}: heading in English`).not.toBe(englishHeadings[state]);
      }
      await context.close();
    }
  });

  it('lays out the long words of Italian and German on a 1280 px screen too', { timeout: 600_000 }, async () => {
    for (const language of LANGUAGES.filter((l) => l.locale === 'it' || l.locale === 'de')) {
      const { context, page, problems } = await open(language, DESKTOP);
      await everyState(page, language.locale, problems, true);
      await context.close();
    }
  });

  it('writes deadlines in the reader’s language and time zone', { timeout: 120_000 }, async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: requestBody({ contact: { email: 'pat@example.org' }, items: [{ url: 'https://social.example/p/deadline' }] }),
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json() as { caseNumber: string; pin: string; items: { deadline: string }[] };
    for (const language of LANGUAGES.filter((l) => l.locale !== 'en')) {
      const { context, page } = await open(language);
      await page.goto('/status');
      await page.locator('#case-number').fill(created.caseNumber);
      await page.locator('#case-pin').fill(created.pin);
      await submit(page);
      await page.locator('li.case-item strong').first().waitFor();
      const shown = await page.locator('li.case-item strong').first().innerText();
      const expected = new Intl.DateTimeFormat(language.locale, {
        weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone: language.zone,
      }).format(new Date(created.items[0].deadline));
      expect(shown, `${language.locale} deadline`).toBe(expected);
      await context.close();
    }
  });

  it('takes the language from Accept-Language, lets ?lang= override it for the tab, and switches without losing the form', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await open({ browser: 'de-CH', zone: 'Europe/Zurich' }, DESKTOP);
    // What the browser sends is what picks the language.
    const sent = page.waitForRequest((r) => r.url().endsWith('/'));
    await page.goto('/');
    expect((await sent).headers()['accept-language']).toMatch(/^de-CH/);
    expect(await heading(page)).toBe('Intime Bilder von Ihnen entfernen lassen');

    await page.goto('/?lang=fr');
    expect(await heading(page)).toBe('Faire retirer des images intimes de vous');
    // The choice lasts for the tab: other pages, and a reload without ?lang=.
    await page.getByRole('link', { name: 'Suivre une demande' }).click();
    expect(await heading(page)).toBe('Suivre votre demande');
    await page.goto('/status');
    expect(await heading(page)).toBe('Suivre votre demande');

    // The visible switch: what was typed stays, and the page speaks the new language at once.
    await page.goto('/request');
    await page.locator('#field-requester-fullName').fill('Alex Example');
    await page.getByRole('navigation', { name: 'Langue' }).getByRole('link', { name: 'Italiano' }).click();
    await expect.poll(() => heading(page)).toContain('Chi sei');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('it');
    expect(await page.locator('#field-requester-fullName').inputValue()).toBe('Alex Example');
    expect(await page.getByRole('navigation', { name: 'Lingua' }).getByRole('link', { name: 'Italiano' }).getAttribute('aria-current')).toBe('true');
    expect(await page.title()).toBe('Chiedi la rimozione – Take it down');
    await page.reload();
    await expect.poll(() => heading(page)).toContain('Chi sei');
    expect(problems).toEqual([]);
    await context.close();

    // A language the pages do not have falls back to English.
    const other = await open({ browser: 'pt-BR', zone: 'America/Sao_Paulo' });
    await other.page.goto('/');
    expect(await heading(other.page)).toBe('Get intimate pictures of you taken down');
    await other.context.close();
  });

  it('reads the request journey through the accessibility tree: names, roles and announced errors', { timeout: 120_000 }, async () => {
    const { context, page } = await open(LANGUAGES[1]);
    await page.goto('/request');
    await page.getByRole('heading', { level: 1, name: /Chi sei/ }).waitFor();
    expect(await page.getByRole('button', { name: /Esci subito da questo sito/ }).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Lingua' }).getByRole('link').count()).toBe(5);
    expect(await page.getByRole('list', { name: 'Passi' }).getByRole('listitem').count()).toBe(7);
    await page.getByRole('button', { name: 'Avanti' }).click();
    // The error summary is an alert (announced at once), has focus, and names the problems; each field says it is invalid.
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const tree = await alert.ariaSnapshot();
    expect(tree).toContain('heading "Ci sono 2 cose da correggere"');
    expect(tree).toContain('link "Scrivi il tuo nome e cognome."');
    expect(await page.locator('#error-summary').evaluate((el) => el === document.activeElement)).toBe(true);
    const name = page.getByRole('textbox', { name: 'Il tuo nome e cognome' });
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('group', { name: 'Chi sei?' }).getByRole('radio').count()).toBe(2);
    await page.getByRole('radio', { name: 'Sono la persona nelle immagini' }).check();
    await name.fill('Alex Example');
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.getByRole('heading', { level: 1, name: /Dove si trova/ }).waitFor();
    // The step list says where the person is, for screen readers too.
    expect(await page.getByRole('list', { name: 'Passi' }).ariaSnapshot()).toMatch(/listitem: "?Fatto: Chi sei"?\n\s*- listitem: "?Passo attuale: Dove si trova/);
    // Pictures: progress and results are announced in a live region.
    await page.getByRole('textbox', { name: 'Link 1' }).fill('https://social.example/p/1');
    await page.getByRole('button', { name: 'Avanti' }).click();
    expect(await page.locator('[aria-live="polite"]').count()).toBe(1);
    await context.close();
  });

  it('shows the console’s undelivered messages and second-factor set-up in Italian at phone and desktop sizes (German readers get the English console)', { timeout: 300_000 }, async () => {
    mail.refuse.add('gone@example.org');
    const created = await harness.app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: requestBody({ contact: { email: 'gone@example.org' }, items: [{ url: 'https://social.example/p/refused' }], notify: { email: true } }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const { caseNumber } = created.json<{ caseNumber: string }>();
    await dispatcher.drain();

    const cases = [
      { language: LANGUAGES[1], messages: 'Messaggi non consegnati', receipt: 'Conferma di ricezione', refused: 'Rifiutato', setUp: 'Configura il secondo fattore', start: 'Inizia', turnOn: 'Attiva', needCode: 'Scrivi le sei cifre', wrongCode: 'Il codice non è giusto' },
      { language: LANGUAGES[4], messages: 'Messages not delivered', receipt: 'Receipt', refused: 'Refused', setUp: 'Set up your second factor', start: 'Start', turnOn: 'Turn on', needCode: 'Type the six digits', wrongCode: 'That code is not right' },
    ];
    for (const expected of cases) {
      for (const viewport of [PHONE, DESKTOP]) {
        const { context, page, problems } = await open(expected.language, viewport);
        const name = `${expected.language.locale}-${viewport.width}`;
        await page.goto('/review');
        await page.locator('#username').fill('ada');
        await page.locator('#password').fill(STAFF_PASSWORD);
        await page.locator('main form button[type="submit"]').click();
        await page.locator('.console-nav').waitFor();

        await page.goto('/review/messages');
        await page.getByRole('heading', { level: 1, name: expected.messages }).waitFor();
        const row = page.getByRole('row').filter({ hasText: caseNumber });
        await row.waitFor();
        expect(await row.textContent()).toContain(expected.receipt);
        expect(await row.textContent()).toContain(expected.refused);
        expect(await seriousViolations(page), `${name} axe on the messages`).toEqual([]);
        await screenshot(page, `lang-${name}-console-messages`);

        await page.goto('/review/second-factor');
        await page.getByRole('heading', { level: 1, name: expected.setUp }).waitFor();
        await page.getByRole('button', { name: expected.start }).click();
        await page.locator('.totp-secret').waitFor();
        await page.getByRole('button', { name: expected.turnOn }).click();
        await page.getByRole('alert').getByText(expected.needCode).waitFor();
        await page.locator('#totp-code').fill('000 000');
        await page.getByRole('button', { name: expected.turnOn }).click();
        await page.getByRole('alert').getByText(expected.wrongCode).waitFor();
        expect(await seriousViolations(page), `${name} axe on the second factor`).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} width`).toBeLessThanOrEqual(viewport.width);
        await screenshot(page, `lang-${name}-console-second-factor`);
        expect(problems).toEqual([]);
        await context.close();
      }
    }
  });

  it('draws a focus ring of at least 3:1 against what is around it, on the public pages and in the console', { timeout: 120_000 }, async () => {
    const { context, page } = await open(LANGUAGES[0], DESKTOP);
    const ringContrasts = async (count: number) => {
      const found: { element: string; ratio: number }[] = [];
      for (let i = 0; i < count; i++) {
        await page.keyboard.press('Tab');
        found.push(await page.evaluate(() => {
          const rgb = (text: string) => (/rgba?\(([^)]+)\)/.exec(text)?.[1] ?? '0,0,0,0').split(',').map((n) => Number(n.trim()));
          const luminance = ([r, g, b]: number[]) => {
            const linear = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
            return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
          };
          const contrast = (a: number[], b: number[]) => {
            const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
            return (x + 0.05) / (y + 0.05);
          };
          const element = document.activeElement as HTMLElement;
          // The colour the ring is drawn on: the first ancestor with a background.
          let around: number[] = [255, 255, 255];
          for (let node = element.parentElement; node; node = node.parentElement) {
            const colour = rgb(getComputedStyle(node).backgroundColor);
            if ((colour[3] ?? 1) > 0) { around = colour; break; }
          }
          const style = getComputedStyle(element);
          const rings = [
            ...(style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? [rgb(style.outlineColor)] : []),
            ...(style.boxShadow !== 'none' ? [rgb(style.boxShadow)] : []),
          ];
          if (rings.length === 0) return { element: `${element.tagName} (no focus ring)`, ratio: 0 };
          return { element: `${element.tagName} ${element.textContent?.slice(0, 30) ?? ''}`, ratio: Math.max(...rings.map((ring) => contrast(ring, around))) };
        }));
      }
      return found;
    };
    await page.goto('/');
    await page.locator('main h1').waitFor();
    for (const { element, ratio } of await ringContrasts(10)) expect(ratio, `focus ring on ${element}`).toBeGreaterThanOrEqual(3);
    await page.goto('/review');
    await page.locator('#username').fill('rina');
    await page.locator('#password').fill(STAFF_PASSWORD);
    await page.locator('main form button[type="submit"]').click();
    await page.locator('.console-nav').waitFor();
    await page.locator('body').focus();
    for (const { element, ratio } of await ringContrasts(8)) expect(ratio, `focus ring on ${element}`).toBeGreaterThanOrEqual(3);
    await context.close();
  });

  it('shows the reviewer console in Italian, accessible and usable by keyboard on a phone', { timeout: 300_000 }, async () => {
    const { context, page, problems } = await open(LANGUAGES[1]);
    await page.goto('/review');
    await page.getByRole('heading', { name: 'Accedi alla console di revisione' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Nome utente').fill('rina');
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.getByRole('heading', { name: 'Coda di revisione' }).waitFor();
    await page.locator('tbody tr[data-item-id]').first().waitFor();
    expect(await seriousViolations(page), 'axe on the queue').toEqual([]);
    await screenshot(page, 'lang-it-390-console-queue');
    await page.locator('tbody tr[data-item-id] a').first().click();
    await page.getByRole('heading', { name: /Elemento della pratica/ }).waitFor();
    expect(await seriousViolations(page), 'axe on the item').toEqual([]);
    await screenshot(page, 'lang-it-390-console-item');
    await page.getByRole('button', { name: /Respingi/ }).click();
    await page.getByText('Scegli dall’elenco un motivo per respingere.').waitFor();
    await page.getByRole('button', { name: 'Esci', exact: true }).click();

    // The auditor's pages: the audit log and the compliance report, whose tables scroll sideways on a phone
    // and so take keyboard focus (axe: scrollable-region-focusable).
    await page.getByLabel('Nome utente').fill('aldo');
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.getByRole('button', { name: 'Esci', exact: true }).waitFor();
    await page.goto('/review');
    await page.getByRole('heading', { name: 'Registro di audit', level: 1 }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    expect(await seriousViolations(page), 'axe on the audit log').toEqual([]);
    await page.getByRole('link', { name: 'Conformità' }).click();
    await page.getByRole('heading', { name: 'Tempo di rimozione' }).waitFor();
    await page.getByRole('heading', { name: 'Banche di hash' }).waitFor();
    expect(await seriousViolations(page), 'axe on the compliance report').toEqual([]);
    await screenshot(page, 'lang-it-390-console-compliance');
    const banks = page.getByRole('region', { name: 'Banche di hash' });
    await banks.focus();
    expect(await banks.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
