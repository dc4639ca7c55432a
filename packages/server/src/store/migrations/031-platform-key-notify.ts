/**
 * Every statement that adds, revokes or deletes a platform API key sends a notification on the channel
 * `takedown_platform_keys` (delivered at commit, once per transaction and channel), so every server process
 * on the database forgets the keys it verified and asks the database again: a key revoked by the CLI or on
 * another replica stops working at once instead of when its cache entry ends (TAKEDOWN_KEY_CACHE_MS).
 * SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '031-platform-key-notify';

export const PLATFORM_KEYS_CHANNEL = 'takedown_platform_keys';

export const statements: string[] = [
  `create function takedown_notify_platform_keys() returns trigger language plpgsql as $$
begin
  perform pg_notify('${PLATFORM_KEYS_CHANNEL}', '');
  return null;
end $$`,
  `create trigger platform_keys_notify after insert or update or delete on platform_keys for each statement execute function takedown_notify_platform_keys()`,
];
