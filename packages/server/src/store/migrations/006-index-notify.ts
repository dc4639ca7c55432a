/**
 * Every statement that changes the banks, their hashes or the content index also sends a notification on
 * the channel `takedown_index` (delivered at commit, once per transaction and channel), so the followers
 * of other processes (replicas, the server when the CLI imports) apply it at once instead of at their next
 * poll. SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '006-index-notify';

export const INDEX_CHANNEL = 'takedown_index';

export const statements: string[] = [
  `create function takedown_notify_index() returns trigger language plpgsql as $$
begin
  perform pg_notify('${INDEX_CHANNEL}', '');
  return null;
end $$`,
  ...['banks', 'bank_hashes', 'platform_content'].map(
    (table) => `create trigger ${table}_notify_index after insert or update or delete on ${table} for each statement execute function takedown_notify_index()`,
  ),
];
