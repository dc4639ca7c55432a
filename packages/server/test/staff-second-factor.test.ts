/**
 * A second factor for local staff accounts: an authenticator app (TOTP, codes made by the otpauth library as
 * an app makes them), one-time recovery codes, a deployment that requires one, the administrator's reset, and
 * the secret sealed with the key ring so a key rotation re-encrypts it. On both databases.
 */
import { randomBytes } from 'node:crypto';
import { ManualClock, MINUTE_MS, systemClock } from '@takedown/core';
import type { FastifyInstance } from 'fastify';
import { TOTP, URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { deriveKeys, withNewKey, type KeySet } from '../src/crypto/keys.ts';
import { buildApp } from '../src/http/app.ts';
import { sealedKeyId } from '../src/crypto/pii.ts';
import { resealAll } from '../src/services/key-rotation.ts';
import { createStaffUser, login, sessionUser, type LoginInput, type StaffUser } from '../src/services/staff.ts';
import { confirmTotpEnrolment, resetSecondFactor, SecondFactorError, secondFactorState, startTotpEnrolment } from '../src/services/staff-second-factor.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testKeys, testSharedCopies } from './helpers/fixtures.ts';

const PASSWORD = 'correct horse battery staple';

describe.each(backends)('staff second factor on $name', (backend) => {
  let db: TestDatabase;
  const before: KeySet = { masters: [randomBytes(32)] };
  let keys = deriveKeys(before);
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  let riley: StaffUser;
  let app: TOTP;
  let recoveryCodes: string[];
  const signIn = (extra: Partial<LoginInput> = {}) => login(db.database, keys, clock, { username: 'riley', password: PASSWORD, sessionTtlMs: 8 * 60 * MINUTE_MS, ...extra });
  /** The code the phone shows now. */
  const phoneCode = () => app.generate({ timestamp: clock.now().getTime() });
  const audit = () => db.database.transaction((tx) => tx.selectFrom('audit_events').select(['action', 'actor', 'reason', 'data']).orderBy('seq').execute());

  beforeAll(async () => {
    db = await backend.create();
    riley = await createStaffUser(db.database, clock, { username: 'riley', role: 'reviewer', password: PASSWORD }, 'test');
    await createStaffUser(db.database, clock, { username: 'sam', role: 'reviewer', password: PASSWORD }, 'test');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('enrols an authenticator app from its otpauth address, in force only after a right code', async () => {
    expect(await secondFactorState(db.database, riley.id)).toBe('off');
    const enrolment = await startTotpEnrolment(db.database, keys, riley, 'takedown');
    expect(enrolment.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // What a phone reads from the QR code.
    app = URI.parse(enrolment.uri) as TOTP;
    expect(app).toBeInstanceOf(TOTP);
    expect(app.secret.base32).toBe(enrolment.secret);
    expect(app.issuer).toBe('takedown');
    // Not yet in force: the password alone still signs in.
    expect((await signIn()).kind).toBe('ok');
    const wrongCode = String((Number(phoneCode()) + 1) % 1_000_000).padStart(6, '0');
    await expect(confirmTotpEnrolment(db.database, keys, clock, riley, wrongCode)).rejects.toMatchObject({ code: 'wrong_code' });
    ({ recoveryCodes } = await confirmTotpEnrolment(db.database, keys, clock, riley, phoneCode()));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await secondFactorState(db.database, riley.id)).toBe('on');
    await expect(startTotpEnrolment(db.database, keys, riley, 'takedown')).rejects.toBeInstanceOf(SecondFactorError);
    // The secret is sealed under the current key; the recovery codes are not stored as typed.
    const row = await db.database.transaction((tx) => tx.selectFrom('staff_users').select('totp_secret').where('id', '=', riley.id).executeTakeFirstOrThrow());
    expect(Buffer.from(row.totp_secret!).toString('latin1')).not.toContain(enrolment.secret);
    expect(sealedKeyId(row.totp_secret!)).toBe(keys.pii.current.id);
    const hashes = await db.database.transaction((tx) => tx.selectFrom('staff_recovery_codes').select('code_hash').where('user_id', '=', riley.id).execute());
    expect(hashes.map((h) => h.code_hash)).not.toContain(recoveryCodes[0]);
  });

  it('asks for the code after the right password, refuses a wrong or reused one, and counts them as guesses', async () => {
    clock.advance(MINUTE_MS);
    expect(await signIn()).toEqual({ kind: 'second_factor_needed' });
    expect(await signIn({ password: 'not the password at all', code: phoneCode() })).toEqual({ kind: 'wrong' });
    expect(await signIn({ code: '000000' === phoneCode() ? '111111' : '000000' })).toEqual({ kind: 'wrong_second_factor' });
    const code = phoneCode();
    const ok = await signIn({ code });
    expect(ok.kind).toBe('ok');
    // The same code again, even within its 30 seconds, is refused: a code seen over a shoulder is spent.
    expect(await signIn({ code })).toEqual({ kind: 'wrong_second_factor' });
    clock.advance(30_000);
    expect((await signIn({ code: phoneCode() })).kind).toBe('ok');
    // Wrong codes are charged to the account's sign-in counter: ten free, then a wait.
    for (let i = 0; i < 11; i += 1) expect(await signIn({ code: 'abcdef' })).toEqual({ kind: 'wrong_second_factor' });
    expect((await signIn({ code: phoneCode() })).kind).toBe('throttled');
    clock.advance(2 * MINUTE_MS);
    const actions = (await audit()).filter((e) => e.action === 'staff.login_failed').map((e) => e.reason);
    expect(actions).toContain('wrong second factor');
  });

  it('takes each recovery code once, however it is typed', async () => {
    clock.advance(MINUTE_MS);
    expect((await signIn({ code: recoveryCodes[0].toUpperCase().replace('-', ' ') })).kind).toBe('ok');
    expect(await signIn({ code: recoveryCodes[0] })).toEqual({ kind: 'wrong_second_factor' });
    expect((await signIn({ code: recoveryCodes[1] })).kind).toBe('ok');
    const logins = (await audit()).filter((e) => e.action === 'staff.login').map((e) => (e.data as { secondFactor: string }).secondFactor);
    expect(logins.slice(-2)).toEqual(['recovery code', 'recovery code']);
  });

  it('re-encrypts the secret in a key rotation, and codes still work under the new key', async () => {
    const after = withNewKey(before);
    keys = deriveKeys(after);
    await resealAll(db.database, keys.pii, testSharedCopies(db.dataDir, keys), { batchSize: 50, onProgress: () => undefined });
    const row = await db.database.transaction((tx) => tx.selectFrom('staff_users').select('totp_secret').where('id', '=', riley.id).executeTakeFirstOrThrow());
    expect(sealedKeyId(row.totp_secret!)).toBe(keys.pii.current.id);
    clock.advance(MINUTE_MS);
    expect((await signIn({ code: phoneCode() })).kind).toBe('ok');
  });

  it('where a second factor is required, lets an account without one do nothing but set it up', async () => {
    const sam = { username: 'sam', password: PASSWORD, sessionTtlMs: 8 * 60 * MINUTE_MS, requireSecondFactor: true };
    const first = await login(db.database, keys, clock, sam);
    if (first.kind !== 'ok') throw new Error(first.kind);
    expect(first.enrolmentOnly).toBe(true);
    expect((await sessionUser(db.database, keys, clock.now(), first.token))?.enrolmentOnly).toBe(true);
    const enrolment = await startTotpEnrolment(db.database, keys, first.user, 'takedown');
    const samApp = URI.parse(enrolment.uri) as TOTP;
    await confirmTotpEnrolment(db.database, keys, clock, first.user, samApp.generate({ timestamp: clock.now().getTime() }));
    // The same session may now do everything its role allows.
    expect((await sessionUser(db.database, keys, clock.now(), first.token))?.enrolmentOnly).toBe(false);
    // Riley, who has an app, is not restricted.
    clock.advance(MINUTE_MS);
    const riley = await signIn({ code: phoneCode(), requireSecondFactor: true });
    expect(riley.kind === 'ok' && riley.enrolmentOnly).toBe(false);
  });

  it('resets a lost second factor: sessions end, the password alone signs in, audited', async () => {
    clock.advance(MINUTE_MS);
    const session = await signIn({ code: phoneCode() });
    if (session.kind !== 'ok') throw new Error(session.kind);
    expect(await resetSecondFactor(db.database, clock, 'riley', 'cli')).toMatchObject({ sessionsEnded: expect.any(Number) });
    expect(await sessionUser(db.database, keys, clock.now(), session.token)).toBeUndefined();
    expect(await secondFactorState(db.database, riley.id)).toBe('off');
    expect((await signIn()).kind).toBe('ok');
    expect(await resetSecondFactor(db.database, clock, 'nobody', 'cli')).toBeUndefined();
    const reset = (await audit()).filter((e) => e.action === 'user.second_factor_reset');
    expect(reset).toEqual([{ action: 'user.second_factor_reset', actor: 'cli', reason: null, data: { username: 'riley', sessionsEnded: expect.any(Number) } }]);
    // A new app can be set up afterwards.
    const again = await startTotpEnrolment(db.database, keys, riley, 'takedown');
    expect(again.secret).not.toBe(app.secret.base32);
  });
});

describe('staff sign-in over HTTP: a required second factor, passwords off (PGlite)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const env = {
    TAKEDOWN_STAFF_REQUIRE_SECOND_FACTOR: '1',
    // A provider that cannot be reached: https on a closed loopback port.
    TAKEDOWN_OIDC_ISSUER: 'https://127.0.0.1:9',
    TAKEDOWN_OIDC_CLIENT_ID: 'takedown',
    TAKEDOWN_OIDC_REDIRECT_URL: 'https://127.0.0.1/v1/staff/oidc/callback',
    TAKEDOWN_OIDC_ROLES: 'takedown-reviewers=reviewer',
  };
  const build = (extra: Record<string, string> = {}) =>
    buildApp(loadConfig({ ...env, ...extra }, { dataDir: db.dataDir, logLevel: 'silent', runWorker: false }), { database: db.database, keys: testKeys(), clock: systemClock });

  beforeAll(async () => {
    db = await backends[0].create();
    app = await build();
    await createStaffUser(db.database, systemClock, { username: 'noor', role: 'reviewer', password: PASSWORD }, 'test');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('lets a session without the required app set it up and nothing else, then everything its role allows', async () => {
    const signedIn = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'noor', password: PASSWORD } });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toMatchObject({ secondFactor: 'off', mustSetUpSecondFactor: true });
    const cookie = signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = { cookie, 'x-csrf-token': signedIn.json().csrfToken };
    const queue = await app.inject({ method: 'GET', url: '/v1/review/queue', headers });
    expect(queue.statusCode).toBe(403);
    expect(queue.json().error.code).toBe('second_factor_required');
    const enrol = await app.inject({ method: 'POST', url: '/v1/staff/second-factor/enrol', headers });
    expect(enrol.statusCode).toBe(200);
    const phone = URI.parse(enrol.json().uri) as TOTP;
    const wrong = await app.inject({ method: 'POST', url: '/v1/staff/second-factor/confirm', headers, payload: { code: 'twelve' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ code: 'wrong_code', field: 'code' });
    const confirmed = await app.inject({ method: 'POST', url: '/v1/staff/second-factor/confirm', headers, payload: { code: phone.generate() } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().recoveryCodes).toHaveLength(10);
    expect((await app.inject({ method: 'GET', url: '/v1/review/queue', headers })).statusCode).toBe(200);
    // Next time: the code is asked for, by name.
    const noCode = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'noor', password: PASSWORD } });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error).toMatchObject({ code: 'second_factor_needed', field: 'code' });
    const recovery = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'noor', password: PASSWORD, code: confirmed.json().recoveryCodes[0] } });
    expect(recovery.json()).toMatchObject({ secondFactor: 'on', mustSetUpSecondFactor: false });
  });

  it('says when the provider cannot be reached, and refuses a callback nobody started', async () => {
    const start = await app.inject({ method: 'GET', url: '/v1/staff/oidc/start' });
    expect(start.statusCode).toBe(503);
    expect(start.json().error.code).toBe('provider_unavailable');
    const callback = await app.inject({ method: 'GET', url: '/v1/staff/oidc/callback?code=x&state=y' });
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/review?signin=expired');
    const huge = await app.inject({ method: 'GET', url: `/v1/staff/oidc/callback?code=${'x'.repeat(5000)}` });
    expect(huge.statusCode).toBe(400);
  });

  it('refuses passwords when the deployment signs staff in through its provider only', async () => {
    const ssoOnly = await build({ TAKEDOWN_STAFF_PASSWORDS: '0' });
    try {
      expect((await ssoOnly.inject({ method: 'GET', url: '/v1/staff/sign-in-options' })).json()).toEqual({ passwords: false, provider: { name: '127.0.0.1:9', startUrl: '/v1/staff/oidc/start' } });
      const refused = await ssoOnly.inject({ method: 'POST', url: '/v1/staff/login', payload: { username: 'noor', password: PASSWORD } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('passwords_off');
    } finally {
      await ssoOnly.close();
    }
  });
});
