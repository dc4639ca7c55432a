/**
 * The languages in the console and through the accessibility tree, in Chromium: the request journey read as a
 * screen reader reads it, the console's messages and second-factor pages in Italian at both sizes, the focus
 * ring's contrast, and the reviewer console in Italian on a phone.
 */
import { requestBody } from '@takedown/testing/requests';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y.ts';
import { screenshot, STAFF_PASSWORD } from './harness.ts';
import { DESKTOP, dispatcher, harness, LANGUAGES, mail, open, PHONE, useLanguageSite } from './languages-walk.ts';

useLanguageSite();

describe('languages, in Chromium: the console and the accessibility tree', () => {
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
