import type { ServerConfig } from '../config/config.ts';
import type { PlatformRuntime } from '../services/platform-runtime.ts';
import type { JobHandler } from './worker.ts';
import { contentMatchHandler, MATCH_ITEM_JOB } from '../services/sweep-content-match.ts';
import { PLATFORM_NOTIFY_JOB, sweepHandler } from '../services/sweep.ts';
import { DECISION_FOLLOW_JOB, decisionFollowHandler } from '../services/webhook-decisions.ts';

/**
 * Wraps a handler that needs the in-memory indexes: it waits for the load started with the worker. On
 * PostgreSQL, where another replica may have written what the job needs a moment ago (content it uploaded, a
 * hash it banked), the indexes first catch up with everything committed before the job was claimed, so a
 * sweep sees what any replica saw. (On the embedded database this process is the only writer besides the CLI,
 * and a sync from inside a job's transaction would wait for that transaction.)
 */
function needsIndexes(runtime: PlatformRuntime, handler: JobHandler): JobHandler {
  return async (tx, job, now) => {
    await runtime.load();
    if (runtime.database.kind === 'postgres') await runtime.sync();
    await handler(tx, job, now);
  };
}

/**
 * The platform integration's jobs: the sweep on confirmation, matching new request items against the content
 * index, and following decisions. (Webhook deliveries have lanes of their own: webhook-dispatcher.ts.)
 * `platform` is the runtime the HTTP routes of this process use too.
 */
export function platformJobHandlers(options: { config: ServerConfig; platform: PlatformRuntime }): Record<string, JobHandler> {
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
    [DECISION_FOLLOW_JOB]: decisionFollowHandler({ pollMs: options.config.workerPollMs, afterChange }),
  };
}
