import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { keyFromHeaders, SCOPE_PURPOSE, type PlatformScope } from '../../platform/api-key.ts';
import { authenticatePlatformKey, type PlatformKeyInfo } from '../../services/platform-accounts.ts';
import { watchPlatformKeys } from '../../services/platform-key-changes.ts';
import { HttpError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    platform?: PlatformKeyInfo;
  }
}

/**
 * Verified keys, kept briefly so that busy routes (upload checks) do not ask the database on every call.
 * Every change to the keys, made by any process on the database, empties it at once (`keyCacheOf`);
 * `ttlMs` bounds an entry's life should that notification be lost. After `clear()`, an answer the database
 * gave before it (`generation` taken before asking) is not kept: a lookup racing a revocation cannot put
 * the revoked key back for `ttlMs`.
 */
export class KeyCache {
  readonly #entries = new Map<string, { info: PlatformKeyInfo | undefined; until: number }>();
  readonly #ttlMs: number;
  #generation = 0;
  #keeping = true;
  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }
  /** Changes at each `clear()`: take it before asking the database, give it to `set`. */
  get generation(): number {
    return this.#generation;
  }
  get(token: string, now: number): PlatformKeyInfo | undefined | null {
    const hit = this.#entries.get(token);
    if (!hit || hit.until < now) return null;
    return hit.info;
  }
  set(token: string, info: PlatformKeyInfo | undefined, now: number, generation: number): void {
    if (!this.#keeping || generation !== this.#generation) return;
    if (this.#entries.size > 10_000) this.#entries.clear();
    // Unknown keys are remembered for a shorter time: a key made a moment ago must work soon.
    this.#entries.set(token, { info, until: now + (info ? this.#ttlMs : Math.min(this.#ttlMs, 1_000)) });
  }
  /** Forgets every key (a key was added, revoked or deleted somewhere). */
  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
  }
  /** Keeps nothing from now on: without news of changes, every request asks the database. */
  stopKeeping(): void {
    this.#keeping = false;
    this.clear();
  }
  /** Keeps keys again (changes are heard again), none of those kept before: a change may have been missed. */
  resumeKeeping(): void {
    this.#keeping = true;
    this.clear();
  }
}

/** One key cache per app (its routes share it and one listening connection), by the app's services. */
const caches = new WeakMap<object, Promise<KeyCache>>();

/**
 * The app's key cache, emptied whenever a platform key changes in any process on the database, until the
 * app closes. While the database cannot tell (the listening connection is lost, and is being listened to
 * again with growing pauses), the cache keeps nothing: a revoked key must not go on working on this process.
 * Once it listens again, the cache starts empty.
 */
export function keyCacheOf(app: FastifyInstance): Promise<KeyCache> {
  let cache = caches.get(app.services);
  if (!cache) {
    cache = followKeyChanges(app, new KeyCache(app.services.platform.config.keyCacheMs));
    caches.set(app.services, cache);
  }
  return cache;
}

async function followKeyChanges(app: FastifyInstance, cache: KeyCache): Promise<KeyCache> {
  const stop = await watchPlatformKeys(app.services.database, {
    onNotify: () => cache.clear(),
    onLost: (error) => {
      cache.stopKeeping();
      app.log.warn({ err: error.message }, 'platform key changes are not heard: every request checks its key in the database until they are heard again');
    },
    onRestored: () => {
      cache.resumeKeeping();
      app.log.info('platform key changes are heard again: verified keys are kept again');
    },
  });
  app.addHook('onClose', () => stop());
  return cache;
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
      const generation = cache.generation;
      info = await authenticatePlatformKey(request.server.services.database, token);
      cache.set(token, info, now, generation);
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
