import { decryptBytes } from '../crypto/pii.ts';
import { acceptedTotpStep, looksLikeRecoveryCode, recoveryCodeHash } from '../crypto/totp.ts';
import type { Keys } from '../crypto/keys.ts';
import type { Tx } from '../store/database.ts';
import { totpSecretContext } from '../store/sealed-values.ts';

/** The TOTP secret of an account, opened with the PII keys. */
export function openTotpSecret(keys: Keys, userId: string, sealed: Uint8Array): string {
  return decryptBytes(keys.pii, sealed, totpSecretContext(userId)).toString('utf8');
}

/**
 * Checks a second-factor code of a confirmed enrolment inside the caller's transaction, with the account's row
 * locked: a TOTP code of a time step newer than the last one accepted (then recorded), or an unused recovery code
 * (then used up). Returns how it was satisfied, or undefined for a wrong, reused or expired code.
 */
export async function checkSecondFactor(tx: Tx, keys: Keys, userId: string, code: string, now: Date): Promise<'totp' | 'recovery code' | undefined> {
  const row = await tx.selectFrom('staff_users').select(['totp_secret', 'totp_last_step']).where('id', '=', userId).forUpdate().executeTakeFirst();
  if (!row?.totp_secret) return undefined;
  if (looksLikeRecoveryCode(code)) {
    const used = await tx
      .updateTable('staff_recovery_codes')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('code_hash', '=', recoveryCodeHash(keys.session, userId, code))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(used.numUpdatedRows) === 1 ? 'recovery code' : undefined;
  }
  const last = row.totp_last_step === null ? undefined : Number(row.totp_last_step);
  const step = acceptedTotpStep(openTotpSecret(keys, userId, row.totp_secret), code, now, last);
  if (step === undefined) return undefined;
  await tx.updateTable('staff_users').set({ totp_last_step: step }).where('id', '=', userId).execute();
  return 'totp';
}
