import type { ServerConfig } from '../config/config.ts';
import type { Keys } from '../crypto/keys.ts';
import type { PlatformRuntime } from '../services/platform-runtime.ts';
import type { JobHandler } from './worker.ts';
import { contentMatchHandler, MATCH_ITEM_JOB } from '../services/sweep-content-match.ts';
import { PLATFORM_NOTIFY_JOB, sweepHandler } from '../services/sweep.ts';
import { WEBHOOK_DELIVERY_JOB, webhookDeliveryHandler } from '../services/webhook-delivery.ts';
import { DECISION_FOLLOW_JOB, decisionFollowHandler } from '../services/webhook-decisions.ts';

/** Wraps a handler that needs the in-memory indexes: it waits for the load started with the worker. */
function needsIndexes(runtime: PlatformRuntime, handler: JobHandler): JobHandler {
  return async (tx, job, now) => {
    await runtime.load();
    await handler(tx, job, now);
  };
}

/**
 * The platform integration's jobs: the sweep on confirmation, matching new request items against the content
 * index, and webhook deliveries. `platform` is the runtime the HTTP routes of this process use too.
 */
export function platformJobHandlers(options: { config: ServerConfig; keys: Keys; platform: PlatformRuntime }): Record<string, JobHandler> {
  const runtime = options.platform;
  // Start loading now, before the worker's first job transaction is queued (see PlatformRuntime.load).
  runtime.load().catch(() => undefined);
  const afterChange = () => {
    // Not awaited: runs after the job's transaction commits (PGlite runs transactions one after another;
    // on PostgreSQL the follower's timer catches what this early sync may miss).
    runtime.sync().catch(() => undefined);
  };
  return {
    [PLATFORM_NOTIFY_JOB]: needsIndexes(runtime, sweepHandler({ banks: runtime.banks, content: runtime.content, afterChange })),
    [MATCH_ITEM_JOB]: needsIndexes(runtime, contentMatchHandler({ content: runtime.content, banks: runtime.banks })),
    [WEBHOOK_DELIVERY_JOB]: webhookDeliveryHandler({ keys: options.keys, schedule: runtime.config.delivery }),
    [DECISION_FOLLOW_JOB]: decisionFollowHandler({ pollMs: options.config.workerPollMs, afterChange }),
  };
}
