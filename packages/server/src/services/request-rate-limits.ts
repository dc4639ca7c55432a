import { hmacHex, type Keys } from '../crypto/keys.ts';
import type { OpenDatabase } from '../store/database.ts';
import { countInWindow } from '../store/rate-limit-windows.ts';

/** How many requests a client has made in the current window of a limit, and how long that window has left. */
export interface RateCount {
  hits: number;
  msLeft: number;
}

/**
 * Counts one request against a rate limit (`limit` names the route, `client` is the client's address) in
 * the database, so that all replicas share the count. Only a keyed HMAC of the two is stored.
 */
export async function countRequest(database: OpenDatabase, keys: Keys, limit: string, client: string, windowMs: number): Promise<RateCount> {
  const counter = hmacHex(keys.session, 'rate limit', limit, client);
  const count = await database.transaction((tx) => countInWindow(tx, counter, windowMs));
  return { hits: count.hits, msLeft: Math.max(0, count.endsAt.getTime() - count.now.getTime()) };
}
