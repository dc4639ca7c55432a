/**
 * The languages at desktop size and the choice of language, in Chromium: Italian's and German's long words on
 * a 1280 px screen (every public page and state, as languages-phone.test.ts checks them on a phone), dates in
 * the reader's language and time zone, Accept-Language picking the language, `?lang=` winning, the choice
 * lasting for the tab, and the visible switch changing the language without losing what was typed.
 */
import { requestBody } from '@takedown/testing/requests';
import { describe, expect, it } from 'vitest';
import { DESKTOP, everyState, harness, heading, LANGUAGES, open, submit, useLanguageSite } from './languages-walk.ts';

useLanguageSite();

describe('languages, in Chromium: desktop, dates and the choice of language', () => {
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
});
