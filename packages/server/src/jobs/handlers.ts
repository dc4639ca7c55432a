import type { Tracer } from '@opentelemetry/api';
import type { Clock } from '@takedown/core';
import type { ServerConfig } from '../config/config.ts';
import type { Keys } from '../crypto/keys.ts';
import type { PlatformRuntime } from '../services/platform-runtime.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { OpenDatabase } from '../store/database.ts';
import { escalateOpenItems, ESCALATION_JOB } from '../services/escalation.ts';
import { deleteExpiredPii, RETENTION_JOB } from '../services/retention.ts';
import { erasedDataReclaimer } from '../services/reclaim-erased.ts';
import { sharedCopiesOf } from '../config/shared-copies.ts';
import { Worker, type JobHandler, type JobLogger } from './worker.ts';
import { platformJobHandlers } from './platform-handlers.ts';
import { observeJobs } from './observe-jobs.ts';

/** The job kinds this package handles. Other components (matching, platform webhooks) add their own. */
export function serverJobHandlers(config: ServerConfig, keys: Keys): Record<string, JobHandler> {
  const copies = sharedCopiesOf(config, keys);
  return {
    [ESCALATION_JOB]: async (tx, _job, now) => {
      await escalateOpenItems(tx, now);
    },
    [RETENTION_JOB]: async (tx, _job, now) => {
      await deleteExpiredPii(tx, now, config.retentionMs, copies);
    },
  };
}

/**
 * The worker the server runs: its own handlers plus any given, and the periodic jobs. `platform` is the
 * runtime the HTTP app of the same process was built with (its indexes and settings); `keys` sign webhooks.
 * With `metrics` (the app's) and `tracer`, every job is timed and traced by kind.
 */
export function createWorker(options: {
  config: ServerConfig;
  database: OpenDatabase;
  clock: Clock;
  keys: Keys;
  platform: PlatformRuntime;
  logger?: JobLogger;
  handlers?: Record<string, JobHandler>;
  metrics?: Metrics;
  tracer?: Tracer;
}): Worker {
  return new Worker({
    database: options.database,
    clock: options.clock,
    handlers: observeJobs({ ...serverJobHandlers(options.config, options.keys), ...platformJobHandlers(options), ...options.handlers }, options.metrics, options.tracer),
    periodic: { [ESCALATION_JOB]: options.config.escalationEveryMs, [RETENTION_JOB]: options.config.retentionEveryMs },
    pollMs: options.config.workerPollMs,
    logger: options.logger,
    // Erased values leave the embedded database's files too (withdrawals are reclaimed here, within the hour).
    afterCommit: { [RETENTION_JOB]: erasedDataReclaimer(options.database) },
  });
}
