import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Keys } from '../crypto/keys.ts';
import { countRequest } from '../services/request-rate-limits.ts';
import type { OpenDatabase } from '../store/database.ts';

/** What @fastify/rate-limit hands `child()` at run time: the route's merged options, with the route itself. */
type ChildOptions = Parameters<FastifyRateLimitStore['child']>[0] & { routeInfo?: { method?: string | string[]; url?: string } };

/**
 * The rate-limit store of @fastify/rate-limit (its `store` option), counting in the database instead of this
 * process's memory: every replica behind a load balancer counts against the same limit. One counter per
 * route (its method and path) and client address.
 * @example
 * await app.register(fastifyRateLimit, { global: false, store: sharedRateLimitStore(database, keys) });
 */
export function sharedRateLimitStore(database: OpenDatabase, keys: Keys): FastifyRateLimitStoreCtor {
  return class SharedRateLimitStore implements FastifyRateLimitStore {
    readonly #limit: string;

    constructor(_options?: unknown, limit = 'all routes') {
      this.#limit = limit;
    }

    incr(client: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      countRequest(database, keys, this.#limit, client, timeWindow).then(
        (count) => callback(null, { current: count.hits, ttl: count.msLeft }),
        (error: Error) => callback(error),
      );
    }

    child(options: ChildOptions): FastifyRateLimitStore {
      const route = options.routeInfo ?? { method: options.method, url: options.url };
      return new SharedRateLimitStore(undefined, `${String(route.method)} ${route.url}`);
    }
  };
}
