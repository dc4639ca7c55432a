import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Platform API keys look like `tdk_<key id>_<secret>`: the id finds the row, the secret (32 random bytes,
 * base64url) is checked against its SHA-256. The whole key is shown once, when it is made.
 */
export const API_KEY_PREFIX = 'tdk';

/** What a key may do. A key without the scope a route needs gets 403. */
export const PLATFORM_SCOPES = ['content', 'check', 'removals', 'webhooks', 'hma', 'banks', 'exchange'] as const;
export type PlatformScope = (typeof PLATFORM_SCOPES)[number];

/**
 * What a key gets when no scope is named: everything but `banks` (hashes a platform adds to a bank send every
 * platform's matching uploads to review) and `exchange` (a key for another deployment following this one's
 * feed, not for a platform): those are given only when asked for.
 */
export const DEFAULT_PLATFORM_SCOPES: readonly PlatformScope[] = PLATFORM_SCOPES.filter((s) => s !== 'banks' && s !== 'exchange');

export const SCOPE_PURPOSE: Record<PlatformScope, string> = {
  content: 'register and delete content in the content index (POST/DELETE /v1/content) or declare the hosts you serve (/v1/platform/hosts)',
  check: 'check uploads (POST /v1/check)',
  removals: 'acknowledge removals (POST /v1/items/:id/removed)',
  webhooks: 'set the webhook endpoint and read delivery status',
  hma: 'use the HMA-compatible matching and hashing routes (/m/…, /h/hash, GET /c/banks)',
  banks: 'add hashes to an imported bank (POST /c/bank/<bank>/signal)',
  exchange: 'follow this deployment\'s exchange feed and send match feedback (/v1/exchange/*)',
};

export interface NewApiKey {
  keyId: string;
  /** The full key to give the platform: shown once, never stored. */
  token: string;
  secretHash: string;
}

export function isPlatformScope(value: string): value is PlatformScope {
  return (PLATFORM_SCOPES as readonly string[]).includes(value);
}

export function hashKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function generateApiKey(random: (size: number) => Buffer = randomBytes): NewApiKey {
  const keyId = random(9).toString('base64url');
  const secret = random(32).toString('base64url');
  return { keyId, token: `${API_KEY_PREFIX}_${keyId}_${secret}`, secretHash: hashKeySecret(secret) };
}

/** Splits a presented key; undefined when it does not have the shape of one of ours. */
export function parseApiKey(token: string): { keyId: string; secret: string } | undefined {
  const match = /^tdk_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/.exec(token.trim());
  return match ? { keyId: match[1], secret: match[2] } : undefined;
}

/** Compares a presented secret with the stored hash in constant time. */
export function keySecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashKeySecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Reads the key from `Authorization: Bearer <key>` (or the `X-Takedown-Key` header). */
export function keyFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^bearer\s+/i.test(authorization)) return authorization.replace(/^bearer\s+/i, '');
  const direct = headers['x-takedown-key'];
  return typeof direct === 'string' ? direct : undefined;
}
