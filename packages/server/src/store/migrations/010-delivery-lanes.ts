/**
 * Webhook deliveries run in lanes, one per platform (jobs/webhook-dispatcher.ts): a lane delivers its events one
 * at a time and in order, and lanes run side by side, so a slow or dead endpoint delays only its own platform.
 * `lane` names a job's lane (null: an ordinary job); the index finds each lane's oldest unfinished job.
 * Deliveries queued before this migration join their platform's lane. SQL accepted by PostgreSQL 15 and PGlite.
 */
export const name = '010-delivery-lanes';

export const statements: string[] = [
  `alter table jobs add column lane text`,
  `create index jobs_lane_head on jobs (lane, id) where done_at is null and lane is not null`,
  `update jobs set lane = e.platform_id::text
     from platform_events e
    where jobs.kind = 'platform.webhook' and jobs.done_at is null and e.id::text = jobs.payload->>'eventId'`,
];
