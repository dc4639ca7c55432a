/**
 * Reporting from where the content is (issue 17, item 5; docs/platform.md "Report from your pages"): a
 * platform's page on another origin carries the "report" deep link and the framed report button; both open the
 * request form in a new tab with the content's address filled in, and the form says calmly when an address is
 * not on the platform's declared hosts. The platform's pages are served by a second HTTP server, reached under
 * the host names pics.test and elsewhere.test (mapped to 127.0.0.1 in Chromium).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '@takedown/core';
import { addPlatformKey, reportButtonSnippet, reportLinkUrl } from '@takedown/server';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y.ts';
import { newContext, screenshot, startHarness, type Harness } from './harness.ts';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let harness: Harness;
let platformSite: Server;
let sitePort = 0;

/** A platform's post page, with the report link in its menu and the report button, as `takedown platform report-link` prints them. */
function postPage(base: string, contentUrl: string, lang: string): string {
  const menuLink = reportLinkUrl(base, 'pics', contentUrl, lang).replaceAll('&', '&amp;');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Pics: a post</title>
<style>body{font-family:sans-serif;margin:0;padding:1rem;max-width:40rem}.post{border:1px solid #ccc;border-radius:8px;padding:1rem}.photo{height:160px;background:#d9d4e8;border-radius:6px}</style></head>
<body><main><h1>A post</h1><article class="post"><div class="photo" role="img" aria-label="A photo"></div>
<nav aria-label="Post menu"><ul><li><a id="menu-report" href="${menuLink}" target="_blank" rel="noopener noreferrer">Report: it is an intimate image of me</a></li></ul></nav>
${reportButtonSnippet(base, 'pics', contentUrl, lang)}
</article></main></body></html>`;
}

beforeAll(async () => {
  harness = await startHarness({ browserArgs: ['--host-resolver-rules=MAP *.test 127.0.0.1, MAP pics.localhost 127.0.0.1'] });
  const key = await addPlatformKey(harness.app.services.database, systemClock, { name: 'pics' }, 'test');
  const declared = await fetch(`${harness.baseUrl}/v1/platform/hosts`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ hosts: ['pics.test', '*.cdn.pics.test', 'pics.localhost'] }),
  });
  expect(declared.status).toBe(200);
  // The platform's own site: /post/<n>?lang=…&content=… shows a post whose reported address is `content`.
  platformSite = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const content = url.searchParams.get('content') ?? `http://pics.test:${sitePort}${url.pathname}`;
    // /isolated/…: a cross-origin isolated page (COEP require-corp), as a platform may run.
    const isolated = url.pathname.startsWith('/isolated/') ? { 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-opener-policy': 'same-origin' } : {};
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...isolated });
    response.end(postPage(harness.baseUrl, content, url.searchParams.get('lang') ?? 'en'));
  });
  await new Promise<void>((resolve) => platformSite.listen(0, '127.0.0.1', resolve));
  sitePort = (platformSite.address() as AddressInfo).port;
}, 180_000);
afterAll(async () => {
  await new Promise((resolve) => platformSite?.close(resolve));
  await harness?.close();
});

/** Clicks `click` on the platform's page and returns the form's tab it opens. */
async function openedTab(page: Page, click: () => Promise<void>): Promise<Page> {
  const [tab] = await Promise.all([page.context().waitForEvent('page'), click()]);
  await tab.waitForLoadState();
  return tab;
}

/** Console errors of every tab of a context (a missing translation shows as "[i18n] …"). */
function consoleErrors(context: BrowserContext): string[] {
  const errors: string[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

const button = (page: Page) => page.frameLocator('iframe[title="Report an intimate image"]').getByRole('link');

describe('reporting from the platform’s own pages', () => {
  it('the report button opens the form in a new tab with the address filled in, and the request can be sent', { timeout: 180_000 }, async () => {
    const context = await newContext(harness, 'desktop', { viewport: DESKTOP, locale: 'en-US' });
    const errors = consoleErrors(context);
    const page = await context.newPage();
    const contentUrl = `http://pics.test:${sitePort}/post/1`;
    await page.goto(`http://pics.test:${sitePort}/post/1?lang=en`);
    await button(page).waitFor();
    expect(await button(page).getAttribute('target')).toBe('_blank');
    expect(await button(page).getAttribute('rel')).toBe('noopener noreferrer');
    await screenshot(page, 'report-link-button-desktop-en');

    const sent: { path: string; body: string }[] = [];
    context.on('request', (r) => sent.push({ path: new URL(r.url()).pathname, body: r.postData() ?? '' }));
    const form = await openedTab(page, () => button(page).click());
    await form.getByText('We have filled in the link you came from.', { exact: false }).waitFor();
    // The address is out of the address bar at once, and the form's tab cannot reach the platform's page.
    expect(new URL(form.url()).search).toBe('?lang=en');
    expect(await form.evaluate(() => window.opener)).toBeNull();
    expect(await form.evaluate(() => window.history.length)).toBe(1);
    // Checked against the declared hosts: nothing flagged.
    await expect.poll(() => sent.some((r) => r.path === '/v1/report-links/check')).toBe(true);
    await form.waitForLoadState('networkidle');
    expect(await form.getByText('does not look like a page on').count()).toBe(0);
    expect(await seriousViolations(form)).toEqual([]);
    await screenshot(form, 'report-link-form-desktop-en');

    await form.getByLabel('I am the person in the pictures').check();
    await form.getByLabel('Your full name').fill('Alex Example');
    await form.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => form.getByLabel('Link 1').inputValue()).toBe(contentUrl);
    await form.getByRole('button', { name: 'Next' }).click();
    await form.getByRole('button', { name: 'Next' }).click();
    await form.getByLabel('I believe in good faith that this was shared without consent.').check();
    await form.getByLabel('Tell us briefly what happened').fill('Posted without asking me.');
    await form.getByRole('button', { name: 'Next' }).click();
    await form.getByLabel('Phone number').fill('+1 555 010 0199');
    await form.getByRole('button', { name: 'Next' }).click();
    await form.getByLabel('Type your full name to sign').fill('Alex Example');
    await form.getByRole('button', { name: 'Next' }).click();
    await form.getByRole('button', { name: 'Send my request' }).click();
    await form.getByRole('heading', { name: 'We got your request' }).waitFor();
    expect(errors).toEqual([]);
    const intake = sent.find((r) => r.path === '/v1/requests');
    expect(JSON.parse(intake?.body ?? '{}').items).toEqual([expect.objectContaining({ url: contentUrl })]);
    // The address travelled in request bodies only: never in a query string the server (or a proxy) sees.
    const queries = sent.filter((r) => r.path.startsWith('/v1/')).map((r) => r.path);
    expect(queries.join(' ')).not.toContain('pics.test');
    await context.close();
  });

  // Each language at both widths: the button, then the form with a link the platform does not declare.
  for (const [size, locale] of [['phone', 'it'], ['desktop', 'it'], ['phone', 'en'], ['desktop', 'de']] as const) {
    it(`the deep link flags an address on a host the platform does not declare, calmly (${size}, ${locale})`, { timeout: 120_000 }, async () => {
      const context = await newContext(harness, size, { viewport: size === 'phone' ? PHONE : DESKTOP, locale });
      const errors = consoleErrors(context);
      const page = await context.newPage();
      const elsewhere = 'https://elsewhere.example/photo/7';
      await page.goto(`http://pics.test:${sitePort}/post/2?lang=${locale}&content=${encodeURIComponent(elsewhere)}`);
      await button(page).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `report-link-button-${size}-${locale}`);
      const form = await openedTab(page, () => page.locator('#menu-report').click());
      const flag = { en: 'This link does not look like a page on pics.', it: 'Questo link non sembra una pagina di pics.', de: 'Dieser Link sieht nicht wie eine Seite von pics aus.' }[locale];
      await form.getByText(flag, { exact: false }).waitFor();
      expect(new URL(form.url()).search).toBe(`?lang=${locale}`);
      expect(await seriousViolations(form)).toEqual([]);
      await screenshot(form, `report-link-flagged-${size}-${locale}`);
      if (locale === 'it' && size === 'phone') {
        // The person can still go on: the link is there on the links step, and Next takes them on.
        await form.getByLabel('Sono la persona nelle immagini').check();
        await form.getByLabel('Il tuo nome e cognome').fill('Alessandra Esempio');
        await form.getByRole('button', { name: 'Avanti' }).click();
        await expect.poll(() => form.getByLabel('Link 1').inputValue()).toBe(elsewhere);
        await form.getByText(flag, { exact: false }).waitFor();
        await form.getByRole('button', { name: 'Avanti' }).click();
        await form.getByRole('heading', { name: /Le immagini/ }).waitFor();
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('the report button shows only in pages on the platform’s declared hosts, cross-origin isolated ones too', { timeout: 60_000 }, async () => {
    const context = await newContext(harness, 'desktop', { viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`http://elsewhere.test:${sitePort}/post/3`, { waitUntil: 'load' });
    const framed = page.frames().filter((f) => f !== page.mainFrame());
    expect(framed).toHaveLength(1);
    expect(await framed[0].locator('a.report-button').count()).toBe(0);
    // On the platform's own host it does.
    await page.goto(`http://pics.test:${sitePort}/post/3`, { waitUntil: 'load' });
    await button(page).waitFor();
    // In a cross-origin isolated page too (*.localhost is a secure context, where COEP applies).
    await page.goto(`http://pics.localhost:${sitePort}/isolated/post/4`, { waitUntil: 'load' });
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    await button(page).waitFor();
    await context.close();
  });
});
