import type { OpenDatabase } from '../store/database.ts';
import { PLATFORM_KEYS_CHANNEL } from '../store/migrations/031-platform-key-notify.ts';

/**
 * Calls `onChange` at the commit of every transaction that adds, revokes or deletes a platform API key, in
 * any process on the database (migrations/031-platform-key-notify.ts), until the returned stop is called;
 * `onLost` hears that the listening connection failed (no change is heard after it).
 * @example
 * const stop = await watchPlatformKeys(database, () => cache.clear(), () => cache.stopKeeping());
 */
export function watchPlatformKeys(database: OpenDatabase, onChange: () => void, onLost: (error: Error) => void): Promise<() => Promise<void>> {
  return database.listen(PLATFORM_KEYS_CHANNEL, onChange, onLost);
}
