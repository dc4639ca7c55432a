import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { keyFromHeaders, SCOPE_PURPOSE, type PlatformScope } from '../../platform/api-key.ts';
import { authenticatePlatformKey, type PlatformKeyInfo } from '../../services/platform-accounts.ts';
import { HttpError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    platform?: PlatformKeyInfo;
  }
}

/**
 * Verified keys, kept briefly so that busy routes (upload checks) do not ask the database on every call.
 * A revoked key stops working within `ttlMs`.
 */
export class KeyCache {
  readonly #entries = new Map<string, { info: PlatformKeyInfo | undefined; until: number }>();
  readonly #ttlMs: number;
  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }
  get(token: string, now: number): PlatformKeyInfo | undefined | null {
    const hit = this.#entries.get(token);
    if (!hit || hit.until < now) return null;
    return hit.info;
  }
  set(token: string, info: PlatformKeyInfo | undefined, now: number): void {
    if (this.#entries.size > 10_000) this.#entries.clear();
    // Unknown keys are remembered for a shorter time: a key made a moment ago must work soon.
    this.#entries.set(token, { info, until: now + (info ? this.#ttlMs : Math.min(this.#ttlMs, 1_000)) });
  }
}

/**
 * An onRequest hook that requires a platform API key with `scope`: 401 without a valid key, 403 without the
 * scope. It runs before the body is read, so nobody without a key can make the server read or parse a body.
 */
export function requirePlatform(scope: PlatformScope, cache: KeyCache): onRequestAsyncHookHandler {
  return async function (this: unknown, request: FastifyRequest) {
    const token = keyFromHeaders(request.headers);
    if (!token) throw new HttpError(401, 'api_key_required', 'Send your platform API key as "Authorization: Bearer tdk_…" (made with `takedown platform add <name>`).');
    const now = Date.now();
    let info = cache.get(token, now);
    if (info === null) {
      info = await authenticatePlatformKey(request.server.services.database, token);
      cache.set(token, info, now);
    }
    if (!info) throw new HttpError(401, 'api_key_invalid', 'This API key is not valid (unknown, revoked, or mistyped). Ask the operator for a new one.');
    if (!info.scopes.includes(scope)) {
      throw new HttpError(403, 'scope_missing', `This API key may not ${SCOPE_PURPOSE[scope]}: it lacks the "${scope}" scope.`);
    }
    request.platform = info;
  };
}

export function platformOf(request: FastifyRequest): PlatformKeyInfo {
  if (!request.platform) throw new HttpError(401, 'api_key_required', 'Send your platform API key.');
  return request.platform;
}
