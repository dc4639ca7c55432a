import { randomUUID } from 'node:crypto';
import type { Clock } from '@takedown/core';
import { appendAudit } from '../store/audit-chain.ts';
import { hmacHex, type Keys } from '../crypto/keys.ts';
import type { OpenDatabase } from '../store/database.ts';
import { hashPassword, verifyAgainstNothing, verifyPassword } from '../crypto/passwords.ts';
import { passwordProblem } from '../crypto/password-policy.ts';
import type { Tx } from '../store/database.ts';
import { GuessThrottle, staffLoginCounters } from './guess-throttles.ts';
import { checkSecondFactor } from './second-factor-check.ts';
import { endSessions, openSession } from './staff-sessions.ts';

export const STAFF_ROLES = ['reviewer', 'senior', 'admin', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffUser {
  id: string;
  username: string;
  role: StaffRole;
  demo: boolean;
}

export class StaffInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export function checkNewStaff(input: { username: string; role: string; password: string }): void {
  if (!USERNAME.test(input.username)) {
    throw new StaffInputError('username', 'A username is 2–63 lowercase letters, digits, dots, dashes or underscores.');
  }
  if (!(STAFF_ROLES as readonly string[]).includes(input.role)) {
    throw new StaffInputError('role', `The role must be one of: ${STAFF_ROLES.join(', ')}.`);
  }
  checkNewPassword(input.password, input.username);
}

/** A new password must be long and not known to guessers (crypto/password-policy.ts), or StaffInputError. */
function checkNewPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new StaffInputError('password', problem);
}

/** Creates a staff account (argon2id password hash) and records who created it. */
export async function createStaffUser(
  database: OpenDatabase,
  clock: Clock,
  input: { username: string; role: StaffRole; password: string; demo?: boolean },
  actor: string,
): Promise<StaffUser> {
  checkNewStaff(input);
  const passwordHash = await hashPassword(input.password);
  const now = clock.now();
  return database.transaction(async (tx) => {
    const existing = await tx.selectFrom('staff_users').select('id').where('username', '=', input.username).executeTakeFirst();
    if (existing) throw new StaffInputError('username', `There is already a staff account named "${input.username}".`);
    const user: StaffUser = { id: randomUUID(), username: input.username, role: input.role, demo: input.demo ?? false };
    await tx
      .insertInto('staff_users')
      .values({ id: user.id, username: user.username, role: user.role, password_hash: passwordHash, created_at: now, disabled_at: null, demo: user.demo })
      .execute();
    await appendAudit(tx, now, [{ actor, action: 'user.created', reason: null, data: { username: user.username, role: user.role, demo: user.demo } }]);
    return user;
  });
}

/** What an account change did: `sessionsEnded` sessions were signed out; undefined when there is no such user. */
export type AccountChange = { sessionsEnded: number } | undefined;

/** The user's id, locked for the change, or undefined. */
export async function lockUser(tx: Tx, username: string): Promise<{ id: string; disabled_at: Date | null; sso_subject: string | null } | undefined> {
  return tx.selectFrom('staff_users').select(['id', 'disabled_at', 'sso_subject']).where('username', '=', username).forUpdate().executeTakeFirst();
}

/**
 * Sets a new password (checked like a new account's) and ends every session of the user, so whoever knew
 * the old one is signed out everywhere. Audited.
 */
export async function setStaffPassword(database: OpenDatabase, clock: Clock, username: string, password: string, actor: string): Promise<AccountChange> {
  checkNewPassword(password, username);
  const passwordHash = await hashPassword(password);
  const now = clock.now();
  return database.transaction(async (tx) => {
    const user = await lockUser(tx, username);
    if (!user) return undefined;
    if (user.sso_subject !== null) throw new StaffInputError('username', `"${username}" signs in through the identity provider and has no password here.`);
    await tx.updateTable('staff_users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
    const sessionsEnded = await endSessions(tx, user.id);
    await appendAudit(tx, now, [{ actor, action: 'user.password_set', data: { username, sessionsEnded } }]);
    return { sessionsEnded };
  });
}

/** Disables an account (it cannot sign in, and its sessions end at once) or enables it again. Audited. */
export async function setStaffDisabled(database: OpenDatabase, clock: Clock, username: string, disabled: boolean, actor: string): Promise<AccountChange> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const user = await lockUser(tx, username);
    if (!user) return undefined;
    await tx.updateTable('staff_users').set({ disabled_at: disabled ? (user.disabled_at ?? now) : null }).where('id', '=', user.id).execute();
    const sessionsEnded = await endSessions(tx, user.id);
    await appendAudit(tx, now, [{ actor, action: disabled ? 'user.disabled' : 'user.enabled', data: { username, sessionsEnded } }]);
    return { sessionsEnded };
  });
}

/** Signs a user out everywhere (a lost laptop, a shared screen). Audited. */
export async function revokeStaffSessions(database: OpenDatabase, clock: Clock, username: string, actor: string): Promise<AccountChange> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const user = await lockUser(tx, username);
    if (!user) return undefined;
    const sessionsEnded = await endSessions(tx, user.id);
    await appendAudit(tx, now, [{ actor, action: 'user.sessions_revoked', data: { username, sessionsEnded } }]);
    return { sessionsEnded };
  });
}

export async function findStaffUser(database: OpenDatabase, username: string): Promise<StaffUser | undefined> {
  const row = await database.transaction((tx) =>
    tx.selectFrom('staff_users').select(['id', 'username', 'role', 'demo']).where('username', '=', username).executeTakeFirst(),
  );
  return row ? { id: row.id, username: row.username, role: row.role as StaffRole, demo: row.demo } : undefined;
}

export function staffActor(user: { username: string }): string {
  return `staff:${user.username}`;
}

export type LoginResult =
  | { kind: 'ok'; token: string; user: StaffUser; /** the session may only set up the required second factor */ enrolmentOnly: boolean }
  | { kind: 'wrong' }
  | { kind: 'throttled'; until: Date }
  /** The password was right; the account has a second factor and no code (or a wrong one) came with it. */
  | { kind: 'second_factor_needed' | 'wrong_second_factor' }
  /** This deployment signs staff in through its identity provider only. */
  | { kind: 'passwords_off' };

export interface LoginInput {
  username: string;
  password: string;
  /** A TOTP code or a recovery code, for an account with a second factor. */
  code?: string;
  sessionTtlMs: number;
  /** Local passwords are allowed (TAKEDOWN_STAFF_PASSWORDS; default yes). */
  passwordsAllowed?: boolean;
  /** Every local account must have a second factor (TAKEDOWN_STAFF_REQUIRE_SECOND_FACTOR): without one, the session may only set it up. */
  requireSecondFactor?: boolean;
}

/**
 * Checks a password (and the second factor, when the account has one) and opens a session. Guesses are counted
 * per account, from any address (core's STAFF_LOGINS_PER_ACCOUNT), known username or not, and charged before the
 * password is checked, so a burst of guesses sent at once is counted in full; a wrong second-factor code is a
 * wrong guess too, and only a complete sign-in clears the count. Disabled accounts, and accounts that sign in
 * through the identity provider, answer like unknown ones. Success and failure are both audited (§3(a)(4): who
 * acted, and attempts on staff accounts are evidence too). Returns the session token to put in the cookie.
 */
export async function login(database: OpenDatabase, keys: Keys, clock: Clock, input: LoginInput): Promise<LoginResult> {
  if (input.passwordsAllowed === false) return { kind: 'passwords_off' };
  const counters = staffLoginCounters(keys, input.username);
  // Short transactions around the password check, not one across it: argon2id takes about 0.1 s, and on the
  // embedded database a transaction held that long would stall every other request.
  const before = await database.transaction(async (tx) => {
    const throttle = await GuessThrottle.open(tx, counters);
    const until = throttle.blockedUntil(clock.now());
    if (until) return { until };
    await throttle.countFailure(clock.now());
    return { row: await tx.selectFrom('staff_users').selectAll().where('username', '=', input.username).where('disabled_at', 'is', null).executeTakeFirst() };
  });
  if (before.until) return { kind: 'throttled', until: before.until };
  const row = before.row;
  const ok = row?.password_hash ? await verifyPassword(row.password_hash, input.password) : await verifyAgainstNothing(input.password);
  const now = clock.now();
  const failed = (reason: string) => database.transaction((tx) => appendAudit(tx, now, [{ actor: 'anonymous', action: 'staff.login_failed', reason, data: {} }]));
  if (!row || !ok) {
    await failed(row ? 'wrong password' : 'unknown username');
    return { kind: 'wrong' };
  }
  const hasSecondFactor = row.totp_confirmed_at !== null;
  if (hasSecondFactor && !input.code) return { kind: 'second_factor_needed' };
  const user: StaffUser = { id: row.id, username: row.username, role: row.role as StaffRole, demo: row.demo };
  const enrolmentOnly = input.requireSecondFactor === true && !hasSecondFactor;
  const opened = await database.transaction(async (tx) => {
    const by = hasSecondFactor ? await checkSecondFactor(tx, keys, row.id, input.code!, now) : 'password';
    if (!by) return undefined;
    await (await GuessThrottle.open(tx, counters)).clearFirst();
    const token = await openSession(tx, keys, row.id, now, input.sessionTtlMs, enrolmentOnly);
    await appendAudit(tx, now, [{ actor: staffActor(user), action: 'staff.login', data: { role: user.role, secondFactor: hasSecondFactor ? by : 'none' } }]);
    return token;
  });
  if (!opened) {
    await failed('wrong second factor');
    return { kind: 'wrong_second_factor' };
  }
  return { kind: 'ok', token: opened, user, enrolmentOnly };
}

/** A staff member signed in, and whether the session may only set up a required second factor. */
export interface SignedInStaff extends StaffUser {
  enrolmentOnly: boolean;
}

/** The signed-in staff member for a session token, if the session exists and has not expired. */
export async function sessionUser(database: OpenDatabase, keys: Keys, now: Date, token: string): Promise<SignedInStaff | undefined> {
  const row = await database.transaction((tx) =>
    tx
      .selectFrom('sessions')
      .innerJoin('staff_users', 'staff_users.id', 'sessions.user_id')
      .select(['staff_users.id', 'staff_users.username', 'staff_users.role', 'staff_users.demo', 'sessions.enrolment_only'])
      .where('sessions.token_hash', '=', hmacHex(keys.session, token))
      .where('sessions.expires_at', '>', now)
      .where('staff_users.disabled_at', 'is', null)
      .executeTakeFirst(),
  );
  return row ? { id: row.id, username: row.username, role: row.role as StaffRole, demo: row.demo, enrolmentOnly: row.enrolment_only } : undefined;
}

export async function logout(database: OpenDatabase, keys: Keys, clock: Clock, token: string, user: StaffUser): Promise<void> {
  const now = clock.now();
  await database.transaction(async (tx) => {
    await tx.deleteFrom('sessions').where('token_hash', '=', hmacHex(keys.session, token)).execute();
    await appendAudit(tx, now, [{ actor: staffActor(user), action: 'staff.logout', data: {} }]);
  });
}
