/**
 * Staff single sign-on against a real OpenID Connect provider (oidc-provider) on 127.0.0.1, driven over HTTP
 * as a browser would: the redirect to the provider, its login form, the callback with code, state and PKCE,
 * the session. Roles come from the `groups` claim; changes and removals take effect at the next sign-in; people
 * without a mapped role and locally disabled accounts are refused; a tampered state, cookie or nonce is refused.
 * On both databases.
 */
import { systemClock } from '@takedown/core';
import { CookieJar } from '@takedown/testing/browser-cookies';
import { TestIdentityProvider } from '@takedown/testing/identity-provider';
import { freePort } from '@takedown/testing/server-process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { buildApp } from '../src/http/app.ts';
import { OidcSignIn, SignInRejectedError, type PendingSignIn } from '../src/net/oidc-sign-in.ts';
import { createStaffUser, setStaffDisabled } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testKeys } from './helpers/fixtures.ts';

const CLIENT = { clientId: 'takedown-console', clientSecret: 'a client secret for the test provider only' };

/** Follows the provider's redirects and fills its login form as `login`; returns the callback address it sends the browser to (not yet opened). */
async function throughProvider(jar: CookieJar, startUrl: string, login: string): Promise<URL> {
  let response = await jar.fetch(startUrl);
  for (let hops = 0; hops < 10; hops += 1) {
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location')!, response.url || startUrl);
      if (next.pathname === '/v1/staff/oidc/callback') return next;
      response = await jar.fetch(next);
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action) throw new Error(`the provider answered ${response.status}: ${page.slice(0, 500)}`);
    const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1] ?? 'login';
    response = await jar.fetch(new URL(action.replaceAll('&amp;', '&'), response.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt }).toString(),
    });
  }
  throw new Error('the provider did not send the browser back');
}

describe.each(backends)('staff single sign-on with a real OpenID provider on $name', (backend) => {
  let db: TestDatabase;
  let idp: TestIdentityProvider;
  let app: FastifyInstance;
  let base: string;
  const keys = testKeys();
  const audit = () => db.database.transaction((tx) => tx.selectFrom('audit_events').select(['action', 'actor', 'reason', 'data']).orderBy('seq').execute());
  const ssoEnv = (redirect: string) => ({
    TAKEDOWN_OIDC_ISSUER: idp.issuer,
    TAKEDOWN_OIDC_CLIENT_ID: CLIENT.clientId,
    TAKEDOWN_OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    TAKEDOWN_OIDC_REDIRECT_URL: redirect,
    TAKEDOWN_OIDC_PROVIDER_NAME: 'Example Staff Login',
    TAKEDOWN_OIDC_ROLES: 'takedown-admins=admin,takedown-seniors=senior,takedown-reviewers=reviewer',
  });

  /** A whole sign-in; returns the console address it ends on and the jar (holding the session when it worked). */
  async function signIn(login: string): Promise<{ outcome: string | null; jar: CookieJar }> {
    const jar = new CookieJar();
    const callback = await throughProvider(jar, `${base}/v1/staff/oidc/start`, login);
    const back = await jar.fetch(callback);
    expect(back.status).toBe(303);
    // Success goes to the console itself; anything else to its sign-in page with the reason.
    return { outcome: new URL(back.headers.get('location')!, base).searchParams.get('signin') ?? 'ok', jar };
  }
  const me = async (jar: CookieJar) => {
    const response = await jar.fetch(`${base}/v1/staff/me`);
    return response.status === 200 ? ((await response.json()) as { user: { username: string; role: string }; secondFactor: string }) : response.status;
  };

  beforeAll(async () => {
    idp = await TestIdentityProvider.listen();
    db = await backend.create();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    idp.register({ ...CLIENT, redirectUri: `${base}/v1/staff/oidc/callback` });
    app = await buildApp(loadConfig(ssoEnv(`${base}/v1/staff/oidc/callback`), { dataDir: db.dataDir, logLevel: 'silent', runWorker: false }), { database: db.database, keys, clock: systemClock });
    await app.listen({ host: '127.0.0.1', port });
    idp.accounts.set('ada', { preferred_username: 'Ada', groups: ['takedown-admins', 'staff'] });
    idp.accounts.set('grace', { preferred_username: 'grace@example.org', groups: 'takedown-reviewers' });
    idp.accounts.set('outsider', { preferred_username: 'outsider', groups: ['marketing'] });
  });
  afterAll(async () => {
    await app?.close();
    await idp?.close();
    await db?.drop();
  });

  it('tells the console that single sign-on is there, and by which name', async () => {
    const options = await (await fetch(`${base}/v1/staff/sign-in-options`)).json();
    expect(options).toEqual({ passwords: true, provider: { name: 'Example Staff Login', startUrl: '/v1/staff/oidc/start' } });
  });

  it('signs a person in through the provider with PKCE, state and nonce, and gives the role their groups map to', async () => {
    // A local account named like the provider's user is never taken over: the provider's account is found by issuer and subject.
    await createStaffUser(db.database, systemClock, { username: 'ada', role: 'reviewer', password: 'correct horse battery staple' }, 'test');
    const jar = new CookieJar();
    const start = await jar.fetch(`${base}/v1/staff/oidc/start`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(idp.issuer);
    expect(Object.fromEntries(['response_type', 'code_challenge_method', 'client_id'].map((p) => [p, authorize.searchParams.get(p)]))).toEqual({
      response_type: 'code',
      code_challenge_method: 'S256',
      client_id: CLIENT.clientId,
    });
    for (const param of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(param)).toMatch(/^[\w-]{20,}$/);
    const first = await signIn('ada');
    expect(first.outcome).toBe('ok');
    expect(await me(first.jar)).toMatchObject({ user: { username: 'ada-2', role: 'admin' }, secondFactor: 'provider' });
    const second = await signIn('grace');
    expect(second.outcome).toBe('ok');
    expect(await me(second.jar)).toMatchObject({ user: { username: 'grace-example.org', role: 'reviewer' } });
    // A staff call works with the session (and the CSRF token /me gives).
    expect((await second.jar.fetch(`${base}/v1/review/queue`)).status).toBe(200);
    const events = (await audit()).filter((e) => e.actor === 'sso' || e.action === 'staff.login');
    expect(events).toEqual([
      { action: 'user.created', actor: 'sso', reason: 'first single sign-on', data: { username: 'ada-2', role: 'admin', demo: false } },
      { action: 'staff.login', actor: 'staff:ada-2', reason: null, data: { role: 'admin', via: 'sso' } },
      { action: 'user.created', actor: 'sso', reason: 'first single sign-on', data: { username: 'grace-example.org', role: 'reviewer', demo: false } },
      { action: 'staff.login', actor: 'staff:grace-example.org', reason: null, data: { role: 'reviewer', via: 'sso' } },
    ]);
  });

  it('changes the role when the group changes, and ends access when the group is gone', async () => {
    const before = await signIn('ada');
    idp.accounts.set('ada', { preferred_username: 'Ada', groups: ['takedown-seniors'] });
    expect((await signIn('ada')).outcome).toBe('ok');
    expect(await me(before.jar)).toMatchObject({ user: { role: 'senior' } });
    idp.accounts.set('ada', { preferred_username: 'Ada', groups: ['staff'] });
    expect((await signIn('ada')).outcome).toBe('no-access');
    // Sessions opened earlier end too.
    expect(await me(before.jar)).toBe(401);
    const events = (await audit()).filter((e) => ['user.role_changed', 'staff.sso_refused'].includes(e.action));
    expect(events).toEqual([
      { action: 'user.role_changed', actor: 'sso', reason: 'role claim changed', data: { username: 'ada-2', from: 'admin', to: 'senior' } },
      { action: 'staff.sso_refused', actor: 'staff:ada-2', reason: 'role claim removed', data: { username: 'ada-2', sessionsEnded: 3 } },
    ]);
    idp.accounts.set('ada', { preferred_username: 'Ada', groups: ['takedown-admins'] });
  });

  it('refuses someone the provider knows but this deployment gives no role, with no account made', async () => {
    const { outcome, jar } = await signIn('outsider');
    expect(outcome).toBe('no-access');
    expect(await me(jar)).toBe(401);
    const accounts = await db.database.transaction((tx) => tx.selectFrom('staff_users').select('username').execute());
    expect(accounts.map((a) => a.username)).not.toContain('outsider');
    expect((await audit()).at(-1)).toEqual({ action: 'staff.sso_refused', actor: 'anonymous', reason: 'no role for this person', data: {} });
  });

  it('keeps an account disabled here disabled, whatever the provider says', async () => {
    await setStaffDisabled(db.database, systemClock, 'grace-example.org', true, 'test');
    expect((await signIn('grace')).outcome).toBe('no-access');
    await setStaffDisabled(db.database, systemClock, 'grace-example.org', false, 'test');
    expect((await signIn('grace')).outcome).toBe('ok');
  });

  it('refuses a callback whose state was changed, or whose sign-in cookie is missing or altered', async () => {
    const jar = new CookieJar();
    const callback = await throughProvider(jar, `${base}/v1/staff/oidc/start`, 'ada');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'a-state-this-browser-was-never-given');
    const refused = await jar.fetch(tampered);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/review?signin=failed');
    expect(await me(jar)).toBe(401);
    expect((await audit()).at(-1)).toMatchObject({ action: 'staff.sso_refused', actor: 'anonymous', data: {} });

    const other = new CookieJar();
    const stolen = await throughProvider(other, `${base}/v1/staff/oidc/start`, 'ada');
    // Another browser (no sign-in cookie) opening the callback gets nothing.
    const elsewhere = new CookieJar();
    expect((await elsewhere.fetch(stolen)).headers.get('location')).toBe('/review?signin=expired');
    expect(await me(elsewhere)).toBe(401);
    // An altered cookie (signature no longer matching) is refused the same way.
    other.set('takedown_oidc', other.get('takedown_oidc')!.replace(/^./, (c) => (c === 'e' ? 'f' : 'e')));
    expect((await other.fetch(stolen)).headers.get('location')).toBe('/review?signin=expired');
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
    const jar = new CookieJar();
    const callback = await throughProvider(jar, `${base}/v1/staff/oidc/start`, 'ada');
    // What the signed cookie holds (value.signature), read as the server would after checking the signature.
    const raw = decodeURIComponent(jar.get('takedown_oidc')!);
    const pending = JSON.parse(Buffer.from(raw.slice(0, raw.lastIndexOf('.')), 'base64url').toString()) as PendingSignIn;
    const client = new OidcSignIn(app.services.config.staffSignIn.sso!);
    await expect(client.finish(callback.search.slice(1), { ...pending, nonce: 'a-nonce-from-another-sign-in' })).rejects.toBeInstanceOf(SignInRejectedError);
  });
});

describe('staff sign-in settings', () => {
  it('turns local passwords off only when single sign-on is set up, and checks every OIDC setting', () => {
    expect(() => loadConfig({ TAKEDOWN_STAFF_PASSWORDS: '0' })).toThrow(/nobody could sign in/);
    expect(() => loadConfig({ TAKEDOWN_OIDC_CLIENT_ID: 'x' })).toThrow(/TAKEDOWN_OIDC_ISSUER is not/);
    const bad = () =>
      loadConfig({
        TAKEDOWN_OIDC_ISSUER: 'http://login.example.org',
        TAKEDOWN_OIDC_REDIRECT_URL: 'https://takedown.example.org/callback',
        TAKEDOWN_OIDC_ROLES: 'admins=boss',
        TAKEDOWN_OIDC_SCOPES: 'profile',
      });
    try {
      bad();
      expect.unreachable();
    } catch (error) {
      const messages = (error as { problems: { setting: string; message: string }[] }).problems.map((p) => p.setting);
      expect(messages).toEqual(['TAKEDOWN_OIDC_ISSUER', 'TAKEDOWN_OIDC_REDIRECT_URL', 'TAKEDOWN_OIDC_CLIENT_ID', 'TAKEDOWN_OIDC_SCOPES', 'TAKEDOWN_OIDC_ROLES']);
    }
    const config = loadConfig({
      TAKEDOWN_OIDC_ISSUER: 'https://login.example.org/realms/staff',
      TAKEDOWN_OIDC_CLIENT_ID: 'takedown',
      TAKEDOWN_OIDC_REDIRECT_URL: 'https://takedown.example.org/v1/staff/oidc/callback',
      TAKEDOWN_OIDC_ROLES: 'takedown-admins=admin, takedown-reviewers=reviewer',
      TAKEDOWN_STAFF_PASSWORDS: '0',
      TAKEDOWN_STAFF_REQUIRE_SECOND_FACTOR: '1',
    });
    expect(config.staffSignIn).toEqual({
      passwordsAllowed: false,
      requireSecondFactor: true,
      sso: {
        issuer: 'https://login.example.org/realms/staff',
        clientId: 'takedown',
        redirectUrl: 'https://takedown.example.org/v1/staff/oidc/callback',
        providerName: 'login.example.org',
        scopes: 'openid profile email',
        roleMapping: { claim: 'groups', pairs: [{ value: 'takedown-admins', role: 'admin' }, { value: 'takedown-reviewers', role: 'reviewer' }] },
      },
    });
  });
});
