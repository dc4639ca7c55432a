import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { Metrics } from '../observability/metrics.ts';
import type { JobHandler } from './worker.ts';

/**
 * Wraps each job handler to time it into the metrics (by kind and outcome) and, when tracing is on, to run it
 * in a span named for its kind. Payloads are never recorded. A failure is rethrown as it was.
 */
export function observeJobs(handlers: Record<string, JobHandler>, metrics: Metrics | undefined, tracer: Tracer | undefined): Record<string, JobHandler> {
  if (!metrics && !tracer) return handlers;
  return Object.fromEntries(
    Object.entries(handlers).map(([kind, handler]): [string, JobHandler] => [
      kind,
      async (tx, job, now) => {
        const span = tracer?.startSpan(`job ${kind}`, { attributes: { 'takedown.job.kind': kind, 'takedown.job.attempts': job.attempts } });
        const started = performance.now();
        let outcome: 'done' | 'failed' = 'failed';
        try {
          await handler(tx, job, now);
          outcome = 'done';
        } finally {
          metrics?.observeJob(kind, outcome, (performance.now() - started) / 1000);
          if (outcome === 'failed') span?.setStatus({ code: SpanStatusCode.ERROR });
          span?.end();
        }
      },
    ]),
  );
}
