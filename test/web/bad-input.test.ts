/**
 * Bad input in the browser: an empty form, keyboard-only use, a file that is not a picture, a 200 MB file
 * (turned away before any hashing starts), a PIN typed wrongly five times, and the quick exit.
 */
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y.ts';
import { newContext, screenshot, startHarness, type Harness } from './harness.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness?.close());

async function createCase(): Promise<{ caseNumber: string; pin: string }> {
  const response = await harness.app.inject({
    method: 'POST',
    url: '/v1/requests',
    payload: {
      requester: { role: 'self', fullName: 'Pat Example' },
      contact: { email: 'pat@example.org' },
      goodFaith: { affirmed: true, statement: 'Shared without my consent.' },
      signature: { fullName: 'Pat Example', signedAt: new Date().toISOString(), statement: 'I believe in good faith…' },
      items: [{ url: 'https://social.example/p/1' }],
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('bad input in the browser', () => {
  it('shows what to fix next to each field of an empty form, and works with the keyboard alone', { timeout: 120_000 }, async () => {
    const context = await newContext(harness, 'phone');
    const page = await context.newPage();
    await page.goto('/request');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('#error-summary').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByText('Choose who you are: the person in the pictures, or someone acting for them.').count()).toBe(2);
    expect(await page.getByLabel('Your full name').getAttribute('aria-invalid')).toBe('true');
    const describedBy = await page.getByLabel('Your full name').getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy!.split(' ').at(-1)}"]`).textContent()).toContain('Type your full name.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'bad-1-empty-form');

    // Keyboard only: from the step heading, Tab to the first choice, Space to pick it, Tab to the name, Enter.
    await page.goto('/request');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Where it is');
    await context.close();
  });

  it('turns away a file that is not a picture, and a 200 MB file before hashing it', { timeout: 120_000 }, async () => {
    const context = await newContext(harness, 'phone');
    // Count every file handed to the hash worker: a refused file must never get there.
    await context.addInitScript(() => {
      const original = Worker.prototype.postMessage;
      (window as unknown as { hashJobs: number }).hashJobs = 0;
      Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
        (window as unknown as { hashJobs: number }).hashJobs++;
        return original.apply(this, args);
      } as Worker['postMessage'];
    });
    const page = await context.newPage();
    await page.goto('/request');
    await page.getByLabel('I am the person in the pictures').check();
    await page.getByLabel('Your full name').fill('Pat Example');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const input = page.getByLabel('Choose pictures or videos');
    const pictures = page.getByRole('list', { name: 'Your pictures' });

    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
    await pictures.getByText('"notes.txt" is not a picture or video we can read. Choose a picture (JPEG, PNG, WebP, GIF or BMP) or a video (MP4 or WebM).').waitFor();
    // Named like a picture but is not one: the decoder says so, in the same words.
    await input.setInputFiles({ name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is text, not a JPEG') });
    await pictures.getByText('"holiday.jpg" is not a picture or video we can read. Choose a picture (JPEG, PNG, WebP, GIF or BMP) or a video (MP4 or WebM).').waitFor();
    expect(await page.evaluate(() => (window as unknown as { hashJobs: number }).hashJobs)).toBe(1);

    const huge = join(tmpdir(), `takedown-huge-${process.pid}.jpg`);
    const file = await open(huge, 'w');
    await file.truncate(201 * 1024 * 1024); // sparse: takes no disk space
    await file.close();
    try {
      await input.setInputFiles(huge);
      await pictures.getByText(/is 201 MB\. The limit is 200 MB\. Choose a smaller copy, or leave it out and give the link instead\./).waitFor();
    } finally {
      await rm(huge, { force: true });
    }
    expect(await page.evaluate(() => (window as unknown as { hashJobs: number }).hashJobs)).toBe(1);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Remove "notes.txt" or choose another file.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'bad-2-files');
    await context.close();
  });

  it('warns before a wrong PIN costs a wait, then makes this device wait (never locks the case for good)', { timeout: 120_000 }, async () => {
    const { caseNumber, pin } = await createCase();
    const wrong = pin === '11111111' ? '22222222' : '11111111';
    const context = await newContext(harness, 'phone');
    const page = await context.newPage();
    await page.goto('/status');
    await page.getByLabel('Case number').fill(caseNumber);
    for (let attempt = 1; attempt <= 6; attempt++) {
      await page.getByLabel('PIN').fill(wrong);
      await page.getByRole('button', { name: 'Check my request' }).click();
      // From three tries left, the page counts them down (the server's triesBeforeWait).
      if (attempt === 3) await page.getByText('Check both and try again. You have 3 more tries before a wait of 1 minute.').waitFor();
      else if (attempt === 4) await page.getByText('Check both and try again. You have 2 more tries before a wait of 1 minute.').waitFor();
      else if (attempt === 5) await page.getByText('Check both and try again. You have one more try before a wait of 1 minute.').waitFor();
      else if (attempt === 6) await page.getByText(/Check both and try again\. To keep requests safe from guessing, you can try again after /).waitFor();
      else await page.getByText('We could not find a request with that case number and PIN. Check both and try again.', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Check my request' }).waitFor();
    }
    // Even the right PIN is not checked from this device until the wait is over.
    await page.getByLabel('PIN').fill(pin);
    await page.getByRole('button', { name: 'Check my request' }).click();
    await page.getByText(/The PIN was wrong too many times from this device\. To keep your request safe, please wait\. Try again after /).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'bad-3-pin-locked');
    await context.close();
  });

  // The keyboard's way out (Shift three times, outside fields) and history are tested in journey-form.test.ts.
  it('leaves the site at once with the button', { timeout: 60_000 }, async () => {
    const context = await newContext(harness, 'phone');
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: /Leave this site quickly/ }).click();
    await page.waitForURL(/^https:\/\/www\.google\.com\//);
    await context.close();
  });
});
