import type { Clock } from '@takedown/core';
import type { Keys } from '../crypto/keys.ts';
import { encryptBytes } from '../crypto/pii.ts';
import { acceptedTotpStep, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpEnrolment } from '../crypto/totp.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase } from '../store/database.ts';
import { totpSecretContext } from '../store/sealed-values.ts';
import { openTotpSecret } from './second-factor-check.ts';
import { lockUser, staffActor, type StaffUser } from './staff.ts';
import { endSessions } from './staff-sessions.ts';

/** A second-factor request that cannot be done, with what to do instead. */
export class SecondFactorError extends Error {
  readonly code: 'provider_account' | 'already_on' | 'not_started' | 'wrong_code';
  constructor(code: SecondFactorError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/** Where an account stands: a confirmed TOTP, none, or none needed here because the identity provider signs it in. */
export type SecondFactorState = 'on' | 'off' | 'provider';

export async function secondFactorState(database: OpenDatabase, userId: string): Promise<SecondFactorState> {
  const row = await database.transaction((tx) =>
    tx.selectFrom('staff_users').select(['sso_subject', 'totp_confirmed_at']).where('id', '=', userId).executeTakeFirstOrThrow(),
  );
  if (row.sso_subject !== null) return 'provider';
  return row.totp_confirmed_at ? 'on' : 'off';
}

/**
 * Starts (or starts again) setting up an authenticator app for a local account: a new secret, sealed with the PII
 * keys, not yet in force. Returns what the app scans. Accounts of the identity provider get their second factor
 * there; an account whose factor is on must have it reset first (`takedown user reset-second-factor`).
 */
export async function startTotpEnrolment(database: OpenDatabase, keys: Keys, user: StaffUser, issuer: string): Promise<{ uri: string; qrSvg: string; secret: string }> {
  const secret = newTotpSecret();
  await database.transaction(async (tx) => {
    const row = await tx.selectFrom('staff_users').select(['sso_subject', 'totp_confirmed_at']).where('id', '=', user.id).forUpdate().executeTakeFirstOrThrow();
    if (row.sso_subject !== null) throw new SecondFactorError('provider_account', 'Your identity provider asks for your second factor; there is nothing to set up here.');
    if (row.totp_confirmed_at) throw new SecondFactorError('already_on', 'Your second factor is already on. An administrator can reset it if you lost your phone and your recovery codes.');
    await tx
      .updateTable('staff_users')
      .set({ totp_secret: encryptBytes(keys.pii, Buffer.from(secret, 'utf8'), totpSecretContext(user.id)), totp_last_step: null })
      .where('id', '=', user.id)
      .execute();
  });
  return { ...(await totpEnrolment(secret, user.username, issuer)), secret };
}

/**
 * Puts the second factor in force once the app shows a right code: gives ten one-time recovery codes (shown
 * once, kept only as keyed hashes) and lets this account's sessions do everything again. Audited.
 */
export async function confirmTotpEnrolment(database: OpenDatabase, keys: Keys, clock: Clock, user: StaffUser, code: string): Promise<{ recoveryCodes: string[] }> {
  const now = clock.now();
  const recoveryCodes = newRecoveryCodes();
  await database.transaction(async (tx) => {
    const row = await tx.selectFrom('staff_users').select(['totp_secret', 'totp_confirmed_at']).where('id', '=', user.id).forUpdate().executeTakeFirstOrThrow();
    if (row.totp_confirmed_at) throw new SecondFactorError('already_on', 'Your second factor is already on.');
    if (!row.totp_secret) throw new SecondFactorError('not_started', 'Start setting up the authenticator app first.');
    const step = acceptedTotpStep(openTotpSecret(keys, user.id, row.totp_secret), code, now, undefined);
    if (step === undefined) throw new SecondFactorError('wrong_code', 'That code is not right. Type the six digits your app shows now; check your phone\'s clock is set automatically.');
    await tx.updateTable('staff_users').set({ totp_confirmed_at: now, totp_last_step: step }).where('id', '=', user.id).execute();
    await tx.deleteFrom('staff_recovery_codes').where('user_id', '=', user.id).execute();
    await tx
      .insertInto('staff_recovery_codes')
      .values(recoveryCodes.map((c) => ({ user_id: user.id, code_hash: recoveryCodeHash(keys.session, user.id, c), used_at: null })))
      .execute();
    await tx.updateTable('sessions').set({ enrolment_only: false }).where('user_id', '=', user.id).execute();
    await appendAudit(tx, now, [{ actor: staffActor(user), action: 'user.second_factor_enabled', data: { username: user.username } }]);
  });
  return { recoveryCodes };
}

/**
 * Removes an account's second factor and recovery codes (a lost phone) and ends its sessions; the person sets a
 * new one up at their next sign-in. Undefined when there is no such account. Audited.
 */
export async function resetSecondFactor(database: OpenDatabase, clock: Clock, username: string, actor: string): Promise<{ sessionsEnded: number } | undefined> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const user = await lockUser(tx, username);
    if (!user) return undefined;
    await tx.updateTable('staff_users').set({ totp_secret: null, totp_confirmed_at: null, totp_last_step: null }).where('id', '=', user.id).execute();
    await tx.deleteFrom('staff_recovery_codes').where('user_id', '=', user.id).execute();
    const sessionsEnded = await endSessions(tx, user.id);
    await appendAudit(tx, now, [{ actor, action: 'user.second_factor_reset', data: { username, sessionsEnded } }]);
    return { sessionsEnded };
  });
}
