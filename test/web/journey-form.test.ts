/**
 * The request form forgives, in Chromium: the quick exit (Shift three times outside a field; no page of the site
 * left behind in history; Shift typed in a field does nothing), the draft surviving a reload and Back, each step
 * a history entry, `https://` added to a link, pictures dropped on the page and shown blurred and grey until the
 * person asks, an iPhone photo met with a how-to, the saved file's neutral name, the file names kept in the tab,
 * and a warning before a PIN wait. Axe on each new state; screenshots at 1280×800 and 390×844 in English and
 * German (`test-artifacts/web/form-*.png`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { heifFileStart } from '@takedown/testing/heif-files';
import { requestBody } from '@takedown/testing/requests';
import sharp from 'sharp';
import { expectAccessible } from './a11y.ts';
import { ARTIFACTS, newContext, screenshot, startHarness, VECTORS, type Harness } from './harness.ts';

const PICTURE = join(VECTORS, 'images/reg-test-input/dih/bridge-1-original.jpg');
const NEUTRAL = 'https://www.google.com/';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

let harness: Harness;
// Building the pages on a busy machine can take minutes.
beforeAll(async () => {
  harness = await startHarness();
}, 300_000);
afterAll(async () => harness?.close());

async function open(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const viewport = options.viewport ?? PHONE;
  const context = await newContext(harness, viewport.width < 500 ? 'phone' : 'desktop', { viewport, locale: options.locale ?? 'en-US' });
  return { context, page: await context.newPage() };
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** Drops files on the pictures step's drop zone, as a person dragging them from their desktop would. */
async function dropFiles(page: Page, files: { name: string; type: string; bytes: Buffer }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((items) => {
    const transfer = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], item.name, { type: item.type }));
    }
    return transfer;
  }, files.map((f) => ({ name: f.name, type: f.type, base64: f.bytes.toString('base64') })));
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('[data-testid="drop-zone"]', type, { dataTransfer });
}

async function pressShift(page: Page, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press('Shift');
}

describe('the request form, in Chromium', () => {
  it('keeps the draft through reload and Back, makes each step a history entry, and adds https:// to a link', { timeout: 120_000 }, async () => {
    const { context, page } = await open();
    await page.goto('/');
    await page.getByRole('link', { name: 'Ask for removal' }).first().click();
    await page.getByLabel('I am the person in the pictures').check();
    await page.getByLabel('Your full name').fill('Alex Example');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => heading(page)).toContain('Where it is');
    // A link in the error summary moves focus to its field and adds no history entry.
    await page.getByLabel('Link 1').fill('not a link');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('#error-summary a').first().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('field-links-0');
    expect(await page.evaluate(() => window.location.hash)).toBe('');
    expect(await heading(page)).toContain('Where it is');
    await page.getByLabel('Link 1').fill('social.example/posts/8842');
    // Leaving the field completes the address, and the page says so.
    await page.getByLabel('Link 1').blur();
    await expect.poll(() => page.getByLabel('Link 1').inputValue()).toBe('https://social.example/posts/8842');
    await page.getByText('We added https:// at the start.').waitFor();
    await expectAccessible(page, 'the links step with https:// added');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => heading(page)).toContain('The pictures');

    // Reload: the same step, nothing lost.
    await page.reload();
    await expect.poll(() => heading(page)).toContain('The pictures');
    // The browser's Back goes to the previous step, with what was typed.
    await page.goBack();
    await expect.poll(() => heading(page)).toContain('Where it is');
    expect(await page.getByLabel('Link 1').inputValue()).toBe('https://social.example/posts/8842');
    await page.goBack();
    await expect.poll(() => heading(page)).toContain('About you');
    expect(await page.getByLabel('Your full name').inputValue()).toBe('Alex Example');
    await page.goForward();
    await expect.poll(() => heading(page)).toContain('Where it is');
    // The form's own Back button agrees with the browser's.
    await page.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => heading(page)).toContain('About you');
    // Back off the form and in again: still there (kept in the tab's session storage, never localStorage).
    await page.goBack();
    await expect.poll(() => page.evaluate(() => window.location.pathname)).toBe('/');
    await page.goForward();
    await expect.poll(() => page.getByLabel('Your full name').inputValue()).toBe('Alex Example');
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    const kept = await page.evaluate(() => window.sessionStorage.getItem('takedown.requestDraft'));
    expect(kept).toContain('Alex Example');
    await context.close();
  });

  it('takes dropped pictures, shows them blurred and grey until asked, explains HEIC, then files the request with a neutral saved file', { timeout: 180_000 }, async () => {
    const { context, page } = await open();
    await page.goto('/request');
    await page.getByLabel('I am the person in the pictures').check();
    await page.getByLabel('Your full name').fill('Alex Example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Link 1').fill('https://social.example/posts/1');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => heading(page)).toContain('The pictures');
    // An AVIF is HEIF too, but holds AV1, not HEVC: it is not called HEIC, and gets its own how-to (the page
    // does not hash AVIF itself), renamed .jpg as much as called .avif.
    const avif = await sharp(readFileSync(PICTURE)).avif({ quality: 50 }).toBuffer();
    await dropFiles(page, [
      { name: 'beach.jpg', type: 'image/jpeg', bytes: readFileSync(PICTURE) },
      { name: 'IMG_0001.HEIC', type: 'image/heic', bytes: Buffer.from('not really a heic file') },
      // A HEIC photo renamed .jpg, and one with no extension the browser knows: told by their bytes.
      { name: 'IMG_0002.jpg', type: 'image/jpeg', bytes: heifFileStart() },
      { name: 'IMG_0003', type: '', bytes: heifFileStart() },
      { name: 'bridge.jpg', type: 'image/jpeg', bytes: avif },
      { name: 'sunset.avif', type: 'image/avif', bytes: avif },
    ]);
    await expect.poll(() => page.locator('li.picture[data-status="done"]').count(), { timeout: 60_000 }).toBe(1);
    // Each file's own message, in its row of the list (the live region repeats only the latest).
    const pictures = page.locator('li.picture');
    for (const name of ['IMG_0001.HEIC', 'IMG_0002.jpg', 'IMG_0003']) {
      await pictures.getByText(`"${name}" is an iPhone photo (HEIC). We cannot read it here. Please make a JPEG copy.`).waitFor();
    }
    for (const name of ['bridge.jpg', 'sunset.avif']) {
      await pictures.getByText(`"${name}" is an AVIF picture. We cannot read it here. Please make a JPEG copy.`).waitFor();
    }
    expect(await pictures.getByText('is an iPhone photo').count()).toBe(3);
    expect(await pictures.getByText('is not a picture or video we can read').count()).toBe(0);
    for (const name of ['IMG_0002.jpg', 'IMG_0003', 'bridge.jpg', 'sunset.avif']) await page.getByRole('button', { name: `Remove ${name}` }).click();
    const thumbnail = page.getByRole('img', { name: 'Your picture beach.jpg' });
    const filter = () => thumbnail.evaluate((img) => getComputedStyle(img).filter);
    expect(await filter()).toMatch(/grayscale\(1\) blur\(/);
    await expectAccessible(page, 'the pictures step, blurred');
    await screenshot(page, 'form-pictures-blurred-phone-en');
    const show = page.getByRole('button', { name: 'Show beach.jpg' });
    expect(await show.getAttribute('aria-pressed')).toBe('false');
    await show.click();
    await expect.poll(filter).toBe('none');
    expect(await page.getByRole('button', { name: 'Hide beach.jpg' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Remove IMG_0001.HEIC' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('I believe in good faith that this was shared without consent.').check();
    await page.getByLabel('Tell us briefly what happened').fill('Someone posted this without asking me.');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Email address').fill('alex@example.org');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Type your full name to sign').fill('Alex Example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Send my request' }).click();
    await page.getByRole('heading', { name: 'We got your request' }).waitFor();
    const caseNumber = (await page.getByTestId('case-number').textContent())!.trim();

    // The draft is gone once sent; the file names stay, aligned with the items as sent (the link took the picture).
    expect(await page.evaluate(() => window.sessionStorage.getItem('takedown.requestDraft'))).toBeNull();
    const names = JSON.parse((await page.evaluate(() => window.sessionStorage.getItem('takedown.itemFileNames')))!);
    expect(names).toEqual({ [caseNumber]: [null, 'beach.jpg'] });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as a file' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^notes-\d{4}-\d{2}-\d{2}\.txt$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe('Notes');
    expect(text.split('\n').slice(0, 2).join(' ')).not.toMatch(/take|case|request/i);
    expect(text).toContain(caseNumber);
    await context.close();
  });

  it('leaves with Shift pressed three times outside a field, never inside one, and Back finds no page of the site', { timeout: 90_000 }, async () => {
    const { context, page } = await open();
    // The page the person came from, before the site.
    await page.goto(`${NEUTRAL}search?q=bus+times`);
    await page.goto('/');
    await page.getByRole('link', { name: 'Ask for removal' }).first().click();
    await page.getByLabel('I am the person in the pictures').check();
    await page.getByLabel('Your full name').fill('Alex Example');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => heading(page)).toContain('Where it is');
    // Shift and Esc typed in a field do nothing: a capital letter never wipes the form.
    await page.getByLabel('Link 1').focus();
    await pressShift(page, 4);
    await page.keyboard.press('Escape');
    await page.keyboard.type('A');
    expect(await page.getByLabel('Link 1').inputValue()).toBe('A');
    expect(new URL(page.url()).pathname).toBe('/request');
    // The label names the key that works (no more "or press Esc").
    expect(await page.locator('.quick-exit .quick-exit-label').textContent()).toBe('Leave this site quickly');
    expect(await page.locator('.quick-exit .quick-exit-key').textContent()).toBe('(or press Shift 3 times)');

    await page.locator('main p').first().click();
    await pressShift(page, 3);
    await page.waitForURL(/^https:\/\/www\.google\.com\/search\?q=weather/);
    // What the tab kept is gone.
    expect(await page.evaluate(() => window.sessionStorage.getItem('takedown.requestDraft'))).toBeNull();
    // Back goes to where the person was before the site, not to any page of it.
    await page.goBack();
    await page.waitForURL(/bus\+times/);
    // Forward onto an entry the browser would not let the exit remove leaves again at once.
    await page.goForward();
    await page.waitForURL(/^https:\/\/www\.google\.com\/search\?q=weather/);
    await page.goForward().catch(() => undefined);
    await page.waitForURL(/^https:\/\/www\.google\.com\//);
    expect(await page.title()).toBe('Weather');
    // A fresh visit works again.
    await page.goto('/');
    await page.getByRole('link', { name: 'Ask for removal' }).first().waitFor();
    await context.close();
  });

  it('keeps the quick exit on screen while scrolling on a phone, and looks right in English and German', { timeout: 240_000 }, async () => {
    for (const [locale, viewport, size] of [['en-US', PHONE, 'phone'], ['de-DE', PHONE, 'phone'], ['en-US', DESKTOP, 'desktop'], ['de-DE', DESKTOP, 'desktop']] as const) {
      const { context, page } = await open({ viewport, locale });
      const language = locale.slice(0, 2);
      await page.goto('/');
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const exit = page.locator('.quick-exit');
      const box = await exit.boundingBox();
      expect(box, `quick exit at ${size} in ${language}`).not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
      // The screen as the person sees it after scrolling (not the whole page): the button still at the top.
      await page.screenshot({ path: join(ARTIFACTS, `form-landing-scrolled-${size}-${language}.png`) });
      await page.goto('/request');
      await page.getByRole('radio').first().check();
      await page.getByRole('textbox').first().fill('Alex Example');
      await page.getByRole('button', { name: language === 'de' ? 'Weiter' : 'Next' }).click();
      await page.getByRole('textbox').first().fill('social.example/posts/1');
      await page.getByRole('textbox').first().blur();
      await expect.poll(() => page.getByRole('textbox').first().inputValue()).toBe('https://social.example/posts/1');
      await expectAccessible(page, `the links step at ${size} in ${language}`);
      await screenshot(page, `form-links-https-${size}-${language}`);
      await page.getByRole('button', { name: language === 'de' ? 'Weiter' : 'Next' }).click();
      await dropFiles(page, [{ name: 'beach.jpg', type: 'image/jpeg', bytes: readFileSync(PICTURE) }]);
      await expect.poll(() => page.locator('li.picture[data-status="done"]').count(), { timeout: 60_000 }).toBe(1);
      await expectAccessible(page, `the pictures step at ${size} in ${language}`);
      await screenshot(page, `form-pictures-${size}-${language}`);
      await context.close();
    }
  });

  it('keeps the header to two short rows on a phone in every language, the quick exit and the languages in reach', { timeout: 240_000 }, async () => {
    const fullLabels = { en: 'Leave this site quickly', it: 'Esci subito da questo sito', es: 'Salir rápido de este sitio', fr: 'Quitter vite ce site', de: 'Seite schnell verlassen' };
    for (const [language, label] of Object.entries(fullLabels)) {
      const { context, page } = await open({ locale: language });
      await page.goto('/request');
      const header = (await page.locator('.site-header').boundingBox())!;
      // German's full label once made this 145 px of a 390 px screen.
      expect(header.height, `header height in ${language}`).toBeLessThanOrEqual(84);
      const exit = (await page.locator('.quick-exit').boundingBox())!;
      expect(exit.height).toBeGreaterThanOrEqual(44);
      expect(exit.x + exit.width).toBeLessThanOrEqual(PHONE.width);
      // The short label shows; the full one stays the button's name (and contains what is shown).
      const button = page.getByRole('button', { name: label, exact: true });
      expect(await button.isVisible()).toBe(true);
      const shown = (await page.locator('.quick-exit-short').textContent())!;
      expect(label.toLowerCase()).toContain(shown.toLowerCase());
      // Every language on one row, each link at least 24 px high.
      const links = page.locator('.site-header .language-switch a');
      expect(await links.count()).toBe(5);
      const boxes = await links.evaluateAll((all) => all.map((a) => a.getBoundingClientRect()).map((r) => ({ top: r.top, height: r.height, right: r.right })));
      expect(new Set(boxes.map((b) => b.top)).size, `languages on one row in ${language}`).toBe(1);
      for (const box of boxes) expect(box.height).toBeGreaterThanOrEqual(24);
      expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(PHONE.width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await expectAccessible(page, `the header on a phone in ${language}`);
      await screenshot(page, `header-phone-${language}`);
      await button.click();
      await page.waitForURL(/^https:\/\/www\.google\.com\//);
      await context.close();
    }
  });

  it('warns how many PIN tries are left before a wait, in the person’s language', { timeout: 90_000 }, async () => {
    const filed = await harness.app.inject({
      method: 'POST',
      url: '/v1/requests',
      payload: requestBody({ items: [{ url: 'https://social.example/posts/77' }] }),
    });
    expect(filed.statusCode).toBe(201);
    const { caseNumber } = filed.json();
    for (const [locale, expected] of [
      ['en-US', ['You have 3 more tries before a wait of 1 minute.', 'You have 2 more tries before a wait of 1 minute.', 'You have one more try before a wait of 1 minute.']],
    ] as const) {
      const { context, page } = await open({ locale });
      await page.goto('/status');
      await page.getByLabel('Case number').fill(caseNumber);
      for (let i = 1; i <= 5; i++) {
        await page.getByLabel('PIN').fill(`0000000${i}`);
        await page.getByRole('button', { name: 'Check my request' }).click();
        if (i >= 3) await page.getByText(expected[i - 3]).waitFor();
      }
      await expectAccessible(page, 'the status sign-in with the warning');
      await screenshot(page, 'form-pin-warning-phone-en');
      await context.close();
    }
    // In German, with a fresh counter (another case number): the last try before the wait.
    const { context, page } = await open({ locale: 'de-DE', viewport: DESKTOP });
    await page.goto('/status');
    await page.getByLabel('Fallnummer').fill('TD-0000-0042');
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel('PIN').fill(`1000000${i}`);
      await page.getByRole('button', { name: /prüfen/i }).click();
      if (i === 5) await page.getByText('Sie haben noch einen Versuch vor einer Wartezeit von 1 Minute.').waitFor();
    }
    await screenshot(page, 'form-pin-warning-desktop-de');
    await context.close();
  });
});
