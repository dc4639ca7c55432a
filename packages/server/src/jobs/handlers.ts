import type { Tracer } from '@opentelemetry/api';
import type { Clock } from '@takedown/core';
import type { ServerConfig } from '../config/config.ts';
import type { Keys } from '../crypto/keys.ts';
import type { PlatformRuntime } from '../services/platform-runtime.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { OpenDatabase } from '../store/database.ts';
import { flagOverdueAppeals } from '../services/appeal-deadlines.ts';
import { escalateOpenItems, ESCALATION_JOB } from '../services/escalation.ts';
import { deleteExpiredPii, RETENTION_JOB } from '../services/retention.ts';
import { erasedDataReclaimer } from '../services/reclaim-erased.ts';
import { sharedCopiesOf } from '../config/shared-copies.ts';
import { REENCRYPT_JOB, runReencryptJob } from '../services/key-rotation.ts';
import { Worker, type JobHandler, type JobLogger } from './worker.ts';
import { platformJobHandlers } from './platform-handlers.ts';
import { ServerJobs } from './server-jobs.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';
import { observeJobs } from './observe-jobs.ts';
import { createNotificationDispatcher } from './notify-lane.ts';

/** The job kinds this package handles besides escalation. Other components (matching, platform webhooks) add their own. */
export function serverJobHandlers(config: ServerConfig, keys: Keys, logger?: JobLogger): Record<string, JobHandler> {
  const copies = sharedCopiesOf(config, keys);
  // The key list a rotation finished for: nothing more to look for until the keys change again.
  let finishedFor = '';
  return {
    [REENCRYPT_JOB]: async (tx, job) => {
      const previous = keys.pii.previousIds;
      const ring = [keys.pii.current.id, ...previous].join(',');
      const batch = await runReencryptJob(tx, job.id, { keys: keys.pii, finished: finishedFor === ring }, copies, config.rekey.batchSize);
      if (!batch) return;
      if (batch.values > 0 || batch.files > 0) {
        logger?.info({ job: REENCRYPT_JOB, key: keys.pii.current.id, ...batch }, 're-encrypted a batch under the current key');
        return;
      }
      finishedFor = ring;
      logger?.warn({ job: REENCRYPT_JOB, key: keys.pii.current.id, unused: previous }, `nothing is encrypted under ${previous.join(', ')} any more: \`takedown keys retire\` removes them from the key list`);
    },
    [RETENTION_JOB]: async (tx, _job, now) => {
      await deleteExpiredPii(tx, now, config.retentionMs, copies);
    },
  };
}

/**
 * The background work the server runs, in three lanes (ServerJobs): escalation alone, so that it runs on time
 * whatever the backlog; the other jobs, its own handlers plus any given; webhook deliveries, concurrent and one
 * lane per platform. `platform` is the runtime the HTTP app of the same process was built with (its indexes and
 * settings); `keys` sign webhooks. With `metrics` (the app's) and `tracer`, every job is timed and traced by kind.
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
}): ServerJobs {
  const { config, database, clock, logger } = options;
  const escalation = new Worker({
    database,
    clock,
    handlers: observeJobs(
      {
        [ESCALATION_JOB]: async (tx, _job, now) => {
          await escalateOpenItems(tx, now, config.jurisdictions);
          await flagOverdueAppeals(tx, now);
        },
      },
      options.metrics,
      options.tracer,
    ),
    periodic: { [ESCALATION_JOB]: config.escalationEveryMs },
    pollMs: config.workerPollMs,
    logger,
  });
  const jobs = new Worker({
    database,
    clock,
    handlers: observeJobs({ ...serverJobHandlers(config, options.keys, logger), ...platformJobHandlers(options), ...options.handlers }, options.metrics, options.tracer),
    periodic: { [RETENTION_JOB]: config.retentionEveryMs, [REENCRYPT_JOB]: config.rekey.everyMs },
    pollMs: config.workerPollMs,
    logger,
    // Erased values leave the embedded database's files too (withdrawals are reclaimed here, within the hour).
    afterCommit: { [RETENTION_JOB]: erasedDataReclaimer(database) },
  });
  const delivery = options.platform.config.delivery;
  const deliveries = new WebhookDispatcher({ database, clock, keys: options.keys, outbound: config.outbound, schedule: delivery, concurrency: options.platform.config.deliveryConcurrency, pollMs: config.workerPollMs, logger, metrics: options.metrics, tracer: options.tracer });
  const notifications = createNotificationDispatcher({ config, database, clock, keys: options.keys, logger });
  return new ServerJobs({ escalation, jobs, deliveries, notifications });
}
