/**
 * Staff sign-in in a real browser (Debian's Chromium): "Sign in with <provider>" through a real OpenID Connect
 * provider (oidc-provider on 127.0.0.1) and back into the console with the role the groups claim maps to; a
 * person without a mapped role sees "ask your administrator"; and a local account where a second factor is
 * required sets up an authenticator app (QR code, a real code from otpauth, recovery codes) and signs in with it.
 */
import { TestIdentityProvider } from '@takedown/testing/identity-provider';
import { freePort } from '@takedown/testing/server-process';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './a11y.ts';
import { newContext, screenshot, startHarness, STAFF_PASSWORD, type Harness } from './harness.ts';

let harness: Harness;
let idp: TestIdentityProvider;

beforeAll(async () => {
  idp = await TestIdentityProvider.listen();
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/v1/staff/oidc/callback`;
  const client = { clientId: 'takedown-console', clientSecret: 'a client secret for the test provider only' };
  idp.register({ ...client, redirectUri });
  idp.accounts.set('ada', { preferred_username: 'ada', groups: ['takedown-admins'] });
  idp.accounts.set('outsider', { preferred_username: 'outsider', groups: ['marketing'] });
  harness = await startHarness({
    port,
    env: {
      TAKEDOWN_OIDC_ISSUER: idp.issuer,
      TAKEDOWN_OIDC_CLIENT_ID: client.clientId,
      TAKEDOWN_OIDC_CLIENT_SECRET: client.clientSecret,
      TAKEDOWN_OIDC_REDIRECT_URL: redirectUri,
      TAKEDOWN_OIDC_PROVIDER_NAME: 'Example Staff Login',
      TAKEDOWN_OIDC_ROLES: 'takedown-admins=admin,takedown-reviewers=reviewer',
      TAKEDOWN_STAFF_REQUIRE_SECOND_FACTOR: '1',
    },
  });
  await harness.addStaff('lou', 'reviewer');
});
afterAll(async () => {
  await harness?.close();
  await idp?.close();
});

/** Signs in at the provider's own (development) login page as `login`. */
async function providerLogin(page: import('playwright-core').Page, login: string): Promise<void> {
  await page.getByRole('link', { name: 'Sign in with Example Staff Login' }).click();
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
}

describe('staff sign-in in Chromium', () => {
  it('signs in with the identity provider and lands in the console with the mapped role', async () => {
    const context = await newContext(harness, 'desktop');
    const page = await context.newPage();
    await page.goto('/review');
    await expect.poll(() => page.getByRole('link', { name: 'Sign in with Example Staff Login' }).isVisible()).toBe(true);
    expect(await seriousViolations(page), 'axe on the sign-in page').toEqual([]);
    await providerLogin(page, 'ada');
    await page.waitForURL((url) => url.pathname === '/review' && url.port === new URL(harness.baseUrl).port);
    await expect.poll(() => page.locator('.who').textContent()).toContain('(admin)');
    // The outcome in the address is not kept: a reload shows no stale message.
    expect(new URL(page.url()).search).toBe('');
    // Accounts of the provider have no second factor to set up here, even where one is required.
    expect(await page.getByRole('link', { name: 'Second factor' }).count()).toBe(0);
    await screenshot(page, 'staff-sso-signed-in');
    await context.close();
  });

  it('tells someone the provider knows, but who has no access here, to ask their administrator', async () => {
    const context = await newContext(harness, 'desktop');
    const page = await context.newPage();
    await page.goto('/review');
    await providerLogin(page, 'outsider');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Ask your administrator');
    expect(await page.locator('.who').count()).toBe(0);
    await screenshot(page, 'staff-sso-no-access');
    await context.close();
  });

  it('makes a local account set up an authenticator app first, then asks for its code at sign-in', async () => {
    const context = await newContext(harness, 'phone');
    const page = await context.newPage();
    await page.goto('/review');
    await page.getByLabel('Username').fill('lou');
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Set up your second factor');
    await page.getByRole('button', { name: 'Start' }).click();
    const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const secret = (await page.locator('.totp-secret').textContent())!;
    const app = new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 });
    expect(await seriousViolations(page), 'axe on the set-up page').toEqual([]);
    await page.getByLabel('2. Type the six digits the app shows').fill(app.generate());
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => page.locator('.recovery-codes li').count()).toBe(10);
    await screenshot(page, 'staff-second-factor-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Review queue');

    // Next sign-in: password, then the code (a later one: a code is taken once).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill('lou');
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const codeField = page.getByLabel('Code from your authenticator app');
    await expect.poll(() => codeField.isVisible()).toBe(true);
    await codeField.fill(app.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Review queue');
    await context.close();
  });
});
