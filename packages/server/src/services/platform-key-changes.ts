import type { OpenDatabase } from '../store/database.ts';
import { PLATFORM_KEYS_CHANNEL } from '../store/migrations/031-platform-key-notify.ts';
import { keepListening, type ListenEvents, type RetryPauses } from './keep-listening.ts';

/**
 * Calls `onNotify` at the commit of every transaction that adds, revokes or deletes a platform API key, in
 * any process on the database (migrations/031-platform-key-notify.ts), until the returned stop is called.
 * `onLost` hears that changes are no longer heard (the listening connection failed); the listen is tried
 * again with growing pauses, and `onRestored` hears that it is back (changes made meanwhile were missed).
 * @example
 * const stop = await watchPlatformKeys(database, { onNotify: () => cache.clear(), onLost: () => cache.stopKeeping(), onRestored: () => cache.resumeKeeping() });
 */
export function watchPlatformKeys(database: OpenDatabase, events: ListenEvents, pauses?: RetryPauses): Promise<() => Promise<void>> {
  return keepListening(database, PLATFORM_KEYS_CHANNEL, events, pauses);
}
