import { randomUUID } from 'node:crypto';
import { roleFromClaims, type Clock, type RoleMapping } from '@takedown/core';
import type { Keys } from '../crypto/keys.ts';
import type { ProviderIdentity } from '../net/oidc-sign-in.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { OpenDatabase, Tx } from '../store/database.ts';
import { staffActor, USERNAME, type StaffRole, type StaffUser } from './staff.ts';
import { endSessions, openSession } from './staff-sessions.ts';

/** The actor of changes made because of what the identity provider said (accounts made, roles changed). */
export const SSO_ACTOR = 'sso';

export type ProviderSignInResult =
  | { kind: 'ok'; token: string; user: StaffUser }
  /** The provider knows the person, but this deployment gives them no role (or took it away): "ask your administrator". */
  | { kind: 'no_access' }
  /** The account was disabled here (`takedown user disable`); the provider cannot enable it. */
  | { kind: 'disabled' };

/**
 * Signs in someone the identity provider vouched for (its ID token already checked). The account is found by
 * the provider's issuer and subject, never by name, so a provider user called like a local account never gets
 * it. The role comes from the claims each time: a role claim that changed changes the role, one that is gone
 * ends the account's sessions and refuses sign-in; nobody without a mapped role gets an account unless the
 * operator named a default role. Disabled accounts stay disabled. Each outcome is audited, with no claim values.
 */
export async function signInWithProvider(
  database: OpenDatabase,
  keys: Keys,
  clock: Clock,
  identity: ProviderIdentity,
  mapping: RoleMapping,
  sessionTtlMs: number,
): Promise<ProviderSignInResult> {
  const role = roleFromClaims(identity.claims, mapping);
  const now = clock.now();
  return database.transaction(async (tx) => {
    const row = await tx
      .selectFrom('staff_users')
      .select(['id', 'username', 'role', 'demo', 'disabled_at'])
      .where('sso_issuer', '=', identity.issuer)
      .where('sso_subject', '=', identity.subject)
      .forUpdate()
      .executeTakeFirst();
    const refuse = async (kind: 'no_access' | 'disabled', reason: string, username?: string) => {
      const data: Record<string, unknown> = username ? { username, sessionsEnded: row ? await endSessions(tx, row.id) : 0 } : {};
      await appendAudit(tx, now, [{ actor: username ? `staff:${username}` : 'anonymous', action: 'staff.sso_refused', reason, data }]);
      return { kind };
    };
    if (row?.disabled_at) return refuse('disabled', 'account disabled', row.username);
    if (!role) return refuse('no_access', row ? 'role claim removed' : 'no role for this person', row?.username);
    let user: StaffUser;
    if (!row) {
      user = { id: randomUUID(), username: await freeUsername(tx, identity.preferredUsername), role, demo: false };
      await tx
        .insertInto('staff_users')
        .values({ id: user.id, username: user.username, role, password_hash: null, created_at: now, disabled_at: null, demo: false, sso_issuer: identity.issuer, sso_subject: identity.subject })
        .execute();
      await appendAudit(tx, now, [{ actor: SSO_ACTOR, action: 'user.created', reason: 'first single sign-on', data: { username: user.username, role, demo: false } }]);
    } else {
      user = { id: row.id, username: row.username, role: role as StaffRole, demo: row.demo };
      if (row.role !== role) {
        await tx.updateTable('staff_users').set({ role }).where('id', '=', row.id).execute();
        await appendAudit(tx, now, [{ actor: SSO_ACTOR, action: 'user.role_changed', reason: 'role claim changed', data: { username: row.username, from: row.role, to: role } }]);
      }
    }
    const token = await openSession(tx, keys, user.id, now, sessionTtlMs);
    await appendAudit(tx, now, [{ actor: staffActor(user), action: 'staff.login', data: { role: user.role, via: 'sso' } }]);
    return { kind: 'ok', token, user };
  });
}

/**
 * A username for a new single-sign-on account: the provider's preferred_username made to fit (lowercase letters,
 * digits, dots, dashes, underscores), with a number added when taken; `staff` when the provider gives none.
 */
async function freeUsername(tx: Tx, preferred: string | undefined): Promise<string> {
  let base = (preferred ?? '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 56);
  if (!USERNAME.test(base)) base = 'staff';
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const taken = await tx.selectFrom('staff_users').select('id').where('username', '=', candidate).executeTakeFirst();
    if (!taken) return candidate;
  }
}

/**
 * Audits a single sign-on that came back unusable: state, nonce or PKCE not matching what this browser was
 * given, a signature that does not check, the provider's own refusal. The reason holds no personal data.
 */
export async function recordRejectedSignIn(database: OpenDatabase, clock: Clock, reason: string): Promise<void> {
  const now = clock.now();
  await database.transaction((tx) => appendAudit(tx, now, [{ actor: 'anonymous', action: 'staff.sso_refused', reason, data: {} }]));
}
