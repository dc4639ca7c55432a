/**
 * A followed source is either another takedown deployment (its signed feed) or StopNCII.org (its FetchHashes
 * API; docs/exchange.md). For StopNCII `cursor` holds the checkpoint, FetchHashes' `nextSetTimestamp` (unix
 * seconds); `api_key` holds its keys (subscription, fetch and feedback function keys) sealed the same way;
 * `public_key` is empty (its pages are not signed) and `feed_id` is `stopncii:<base URL>`.
 * SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '014-stopncii-sources';

export const statements: string[] = [`alter table exchange_sources add column kind text not null default 'takedown' check (kind in ('takedown', 'stopncii'))`];
