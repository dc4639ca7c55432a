import { ManualClock, MINUTE_MS } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '../src/crypto/password-policy.ts';
import { createStaffUser, login, revokeStaffSessions, sessionUser, setStaffDisabled, setStaffPassword, StaffInputError } from '../src/services/staff.ts';
import { backends, type TestDatabase } from './helpers/backends.ts';
import { testKeys } from './helpers/fixtures.ts';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'violet anchor mountain pepper';

describe('staff passwords (NIST SP 800-63B)', () => {
  it('refuses short, common, breached, repetitive, sequential and self-naming passwords, and says why', () => {
    expect(passwordProblem('aaaaaaaaaaaa', 'riley')).toMatch(/^A staff password needs at least 15 characters\./);
    expect(passwordProblem('aaaaaaaaaaaaaaaa', 'riley')).toMatch(/too easy to guess: it repeats a character\./);
    expect(passwordProblem('Password1234567', 'riley')).toMatch(/too easy to guess: it is a small change to a common or breached password\./);
    expect(passwordProblem('abcdefghijklmnopqrs', 'riley')).toMatch(/too easy to guess/);
    expect(passwordProblem('qwertyuiopasdfgh', 'riley')).toMatch(/too easy to guess/);
    expect(passwordProblem('rileyrileyriley1', 'riley')).toMatch(/too easy to guess/);
    expect(passwordProblem('takedowntakedown', 'riley')).toMatch(/too easy to guess/);
    // zxcvbn alone rates these high; the username and the service's words do not count as the password's own.
    expect(passwordProblem('ada-takedown-admin', 'ada')).toMatch(/too easy to guess: it contains the username or the name of this service\./);
    expect(passwordProblem('takedown-review-2026', 'riley')).toMatch(/contains the username or the name of this service/);
    expect(passwordProblem(PASSWORD, 'riley')).toBeUndefined();
    expect(passwordProblem('jR8kq2XwPz9mT4vB', 'riley')).toBeUndefined();
  });
});

describe.each(backends)('staff account safety on $name', (backend) => {
  let db: TestDatabase;
  const keys = testKeys();
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  const signIn = (username: string, password: string) => login(db.database, keys, clock, { username, password, sessionTtlMs: 8 * 60 * MINUTE_MS });
  const token = async (username: string, password: string) => {
    const result = await signIn(username, password);
    if (result.kind !== 'ok') throw new Error(`sign-in failed: ${result.kind}`);
    return result.token;
  };
  const signedIn = async (sessionToken: string) => (await sessionUser(db.database, keys, clock.now(), sessionToken)) !== undefined;
  const audit = () => db.database.transaction((tx) => tx.selectFrom('audit_events').select(['action', 'actor', 'data']).orderBy('seq').execute());

  beforeAll(async () => {
    db = await backend.create();
    for (const username of ['casey', 'drew', 'eli']) await createStaffUser(db.database, clock, { username, role: 'reviewer', password: PASSWORD }, 'test');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('refuses a weak password for a new account and for a reset', async () => {
    await expect(createStaffUser(db.database, clock, { username: 'weak', role: 'admin', password: 'aaaaaaaaaaaaaaaa' }, 'test')).rejects.toThrow(StaffInputError);
    await expect(setStaffPassword(db.database, clock, 'casey', 'password12345678', 'test')).rejects.toThrow(/too easy to guess/);
  });

  it('throttles sign-in per account from any address: 10 free, then doubling waits, known username or not', async () => {
    for (let i = 0; i < 10; i += 1) expect(await signIn('casey', `wrong guess number ${i}`)).toEqual({ kind: 'wrong' });
    expect(await signIn('casey', 'wrong guess number 10')).toEqual({ kind: 'wrong' });
    // Now even the right password waits: the answer tells a guesser nothing.
    expect(await signIn('casey', PASSWORD)).toEqual({ kind: 'throttled', until: new Date(clock.now().getTime() + MINUTE_MS) });
    clock.advance(MINUTE_MS);
    expect(await signIn('casey', 'wrong guess number 11')).toEqual({ kind: 'wrong' });
    expect(await signIn('casey', PASSWORD)).toEqual({ kind: 'throttled', until: new Date(clock.now().getTime() + 2 * MINUTE_MS) });
    clock.advance(2 * MINUTE_MS);
    expect((await signIn('casey', PASSWORD)).kind).toBe('ok');
    // The right password clears the count; other accounts were never slowed.
    expect(await signIn('casey', 'wrong guess again')).toEqual({ kind: 'wrong' });
    expect((await signIn('drew', PASSWORD)).kind).toBe('ok');
    // An unknown username is counted the same way (no hint that it does not exist).
    for (let i = 0; i < 11; i += 1) expect(await signIn('nobody-here', `guess ${i}`)).toEqual({ kind: 'wrong' });
    expect((await signIn('nobody-here', 'guess 11')).kind).toBe('throttled');
  });

  it('counts a burst of guesses sent at once in full', async () => {
    const results = await Promise.all(Array.from({ length: 14 }, (_, i) => signIn('eli', `burst guess ${i}`)));
    expect(results.filter((r) => r.kind === 'wrong')).toHaveLength(11);
    expect(results.filter((r) => r.kind === 'throttled')).toHaveLength(3);
    clock.advance(MINUTE_MS);
  });

  it('ends every session of a user whose password is reset, and audits it', async () => {
    const first = await token('drew', PASSWORD);
    const second = await token('drew', PASSWORD);
    expect(await setStaffPassword(db.database, clock, 'drew', NEW_PASSWORD, 'cli')).toEqual({ sessionsEnded: 3 });
    expect(await signedIn(first)).toBe(false);
    expect(await signedIn(second)).toBe(false);
    expect(await signIn('drew', PASSWORD)).toEqual({ kind: 'wrong' });
    expect((await signIn('drew', NEW_PASSWORD)).kind).toBe('ok');
    expect(await setStaffPassword(db.database, clock, 'no-such-user', NEW_PASSWORD, 'cli')).toBeUndefined();
    expect((await audit()).filter((e) => e.action === 'user.password_set')).toEqual([{ action: 'user.password_set', actor: 'cli', data: { username: 'drew', sessionsEnded: 3 } }]);
  });

  it('disables a user (no sign-in, sessions end) and enables them again; revokes sessions; all audited', async () => {
    const session = await token('casey', PASSWORD);
    expect(await setStaffDisabled(db.database, clock, 'casey', true, 'cli')).toEqual({ sessionsEnded: 2 });
    expect(await signedIn(session)).toBe(false);
    expect(await signIn('casey', PASSWORD)).toEqual({ kind: 'wrong' });
    expect(await setStaffDisabled(db.database, clock, 'casey', false, 'cli')).toEqual({ sessionsEnded: 0 });
    const again = await token('casey', PASSWORD);
    expect(await revokeStaffSessions(db.database, clock, 'casey', 'cli')).toEqual({ sessionsEnded: 1 });
    expect(await signedIn(again)).toBe(false);
    const actions = (await audit()).filter((e) => e.actor === 'cli').map((e) => e.action);
    expect(actions).toEqual(['user.password_set', 'user.disabled', 'user.enabled', 'user.sessions_revoked']);
  });
});
