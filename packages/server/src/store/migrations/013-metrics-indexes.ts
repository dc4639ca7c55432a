/**
 * Indexes for the figures read at each metrics scrape (store/operations-figures.ts), so a scrape reads only
 * what it counts: the unfinished jobs by kind (an index-only scan, however many done jobs the table keeps),
 * and the items that ever breached their deadline. Open items and undelivered webhook events already have
 * partial indexes (items_open_by_deadline, platform_events_pending). SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '013-metrics-indexes';

export const statements: string[] = [
  `create index jobs_pending_by_kind on jobs (kind, run_at) where done_at is null`,
  `create index items_breached on items (case_id) where breached_at is not null`,
];
