import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '@takedown/core';
import { appendAudit } from '../store/audit-chain.ts';
import { decryptJson, encryptJson } from '../crypto/pii.ts';
import type { Keys } from '../crypto/keys.ts';
import { DEFAULT_PLATFORM_SCOPES, generateApiKey, isPlatformScope, keySecretMatches, parseApiKey, PLATFORM_SCOPES, type PlatformScope } from '../platform/api-key.ts';
import { checkOutboundUrl, STRICT_OUTBOUND_POLICY, type OutboundPolicy } from '../net/outbound-guard.ts';
import type { OpenDatabase } from '../store/database.ts';

export interface PlatformKeyInfo {
  platformId: string;
  platformName: string;
  keyId: string;
  scopes: PlatformScope[];
}

/** A platform name or input the operator must fix. */
export class PlatformInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

const PLATFORM_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * Registers a platform (or adds a key to an existing one) and returns the API key, which is shown once:
 * only its SHA-256 is stored.
 */
export async function addPlatformKey(
  database: OpenDatabase,
  clock: Clock,
  input: { name: string; scopes?: string[] },
  actor: string,
): Promise<{ platformId: string; keyId: string; token: string; scopes: PlatformScope[]; created: boolean }> {
  if (!PLATFORM_NAME.test(input.name)) {
    throw new PlatformInputError('name', 'A platform name is 1–63 lowercase letters, digits, dots, dashes or underscores.');
  }
  const scopes = input.scopes && input.scopes.length > 0 ? input.scopes : [...DEFAULT_PLATFORM_SCOPES];
  const unknown = scopes.filter((s) => !isPlatformScope(s));
  if (unknown.length > 0) throw new PlatformInputError('scopes', `Unknown scope ${unknown.join(', ')}; the scopes are ${PLATFORM_SCOPES.join(', ')}.`);
  const now = clock.now();
  const key = generateApiKey();
  return database.transaction(async (tx) => {
    let platform = await tx.selectFrom('platforms').select(['id']).where('name', '=', input.name).executeTakeFirst();
    const created = !platform;
    if (!platform) {
      platform = { id: randomUUID() };
      await tx.insertInto('platforms').values({ id: platform.id, name: input.name, webhook_url: null, webhook_secret: null, created_at: now, disabled_at: null }).execute();
    }
    await tx
      .insertInto('platform_keys')
      .values({ id: key.keyId, platform_id: platform.id, secret_hash: key.secretHash, scopes: JSON.stringify(scopes), created_at: now, revoked_at: null })
      .execute();
    await appendAudit(tx, now, [{ actor, action: 'platform.key_created', data: { platform: input.name, keyId: key.keyId, scopes, platformCreated: created } }]);
    return { platformId: platform.id, keyId: key.keyId, token: key.token, scopes: scopes as PlatformScope[], created };
  });
}

export async function revokePlatformKey(database: OpenDatabase, clock: Clock, keyId: string, actor: string): Promise<boolean> {
  const now = clock.now();
  return database.transaction(async (tx) => {
    const result = await tx.updateTable('platform_keys').set({ revoked_at: now }).where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await appendAudit(tx, now, [{ actor, action: 'platform.key_revoked', data: { keyId } }]);
    return true;
  });
}

/** Finds the platform a presented key belongs to; undefined for an unknown, revoked or wrong key. */
export async function authenticatePlatformKey(database: OpenDatabase, token: string): Promise<PlatformKeyInfo | undefined> {
  const parsed = parseApiKey(token);
  if (!parsed) return undefined;
  const row = await database.transaction((tx) =>
    tx
      .selectFrom('platform_keys')
      .innerJoin('platforms', 'platforms.id', 'platform_keys.platform_id')
      .select(['platform_keys.id', 'platform_keys.secret_hash', 'platform_keys.scopes', 'platforms.id as platform_id', 'platforms.name'])
      .where('platform_keys.id', '=', parsed.keyId)
      .where('platform_keys.revoked_at', 'is', null)
      .where('platforms.disabled_at', 'is', null)
      .executeTakeFirst(),
  );
  if (!row || !keySecretMatches(parsed.secret, row.secret_hash)) return undefined;
  return { platformId: row.platform_id, platformName: row.name, keyId: row.id, scopes: row.scopes.filter(isPlatformScope) };
}

export interface PlatformSummary {
  id: string;
  name: string;
  webhookUrl: string | null;
  /** The regime the platform says it answers to; null: none set. */
  jurisdiction: string | null;
  keys: { keyId: string; scopes: string[]; createdAt: Date; revoked: boolean }[];
}

export async function listPlatforms(database: OpenDatabase): Promise<PlatformSummary[]> {
  return database.transaction(async (tx) => {
    const platforms = await tx.selectFrom('platforms').select(['id', 'name', 'webhook_url', 'jurisdiction']).orderBy('name').execute();
    const keys = await tx.selectFrom('platform_keys').select(['id', 'platform_id', 'scopes', 'created_at', 'revoked_at']).orderBy('created_at').execute();
    return platforms.map((p) => ({
      id: p.id,
      name: p.name,
      webhookUrl: p.webhook_url,
      jurisdiction: p.jurisdiction,
      keys: keys.filter((k) => k.platform_id === p.id).map((k) => ({ keyId: k.id, scopes: k.scopes, createdAt: k.created_at, revoked: k.revoked_at !== null })),
    }));
  });
}

/**
 * Sets the platform's webhook endpoint and makes a new signing secret, returned once (the platform stores it
 * to verify signatures). The secret is kept encrypted: the server needs it to sign. The URL must pass the
 * outbound guard (`outbound`: the operator's policy; public HTTPS addresses only by default); a name that does
 * not resolve yet is taken, since every delivery checks the URL again.
 */
export async function setWebhook(database: OpenDatabase, keys: Keys, clock: Clock, platformId: string, url: string, actor: string, outbound: OutboundPolicy = STRICT_OUTBOUND_POLICY): Promise<{ url: string; secret: string }> {
  const checked = await checkOutboundUrl(url, outbound);
  if (!checked.ok && checked.refusal !== 'unresolved') throw new PlatformInputError('url', `${checked.message.replace(/^The URL/, 'The webhook URL')}`);
  const webhookUrl = new URL(url).toString();
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const now = clock.now();
  await database.transaction(async (tx) => {
    await tx
      .updateTable('platforms')
      .set({ webhook_url: webhookUrl, webhook_secret: encryptJson(keys.pii, secret, `webhook:${platformId}`) })
      .where('id', '=', platformId)
      .execute();
    await appendAudit(tx, now, [{ actor, action: 'platform.webhook_set', data: { platformId, url: webhookUrl } }]);
  });
  return { url: webhookUrl, secret };
}

export function openWebhookSecret(keys: Keys, platformId: string, sealed: Uint8Array): string {
  return decryptJson<string>(keys.pii, sealed, `webhook:${platformId}`);
}
