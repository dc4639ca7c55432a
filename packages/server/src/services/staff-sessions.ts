import { randomBytes } from 'node:crypto';
import { hmacHex, type Keys } from '../crypto/keys.ts';
import type { Tx } from '../store/database.ts';

/**
 * Opens a staff session inside the caller's transaction and returns the token for the cookie (only its keyed hash
 * is stored). `enrolmentOnly`: the session may do nothing but set up the second factor the deployment requires.
 */
export async function openSession(tx: Tx, keys: Keys, userId: string, now: Date, ttlMs: number, enrolmentOnly = false): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await tx
    .insertInto('sessions')
    .values({ token_hash: hmacHex(keys.session, token), user_id: userId, created_at: now, expires_at: new Date(now.getTime() + ttlMs), enrolment_only: enrolmentOnly })
    .execute();
  return token;
}

/** Ends every session of a user (inside the caller's transaction); returns how many there were. */
export async function endSessions(tx: Tx, userId: string): Promise<number> {
  const ended = await tx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(ended.numDeletedRows);
}
