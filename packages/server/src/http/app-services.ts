import type { Tracer } from '@opentelemetry/api';
import type { Clock } from '@takedown/core';
import type { ServerConfig } from '../config/config.ts';
import type { Keys } from '../crypto/keys.ts';
import type { DecodeBudget } from '../media/decode-budget.ts';
import type { SharedCopies } from '../media/shared-copies.ts';
import type { VideoService } from '../media/video/video-service.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { PlatformRuntime } from '../services/platform-runtime.ts';
import type { OpenDatabase } from '../store/database.ts';

/** What every route plugin can use, as `app.services` (decorated once in app.ts). */
export interface Services {
  config: ServerConfig;
  database: OpenDatabase;
  keys: Keys;
  clock: Clock;
  /** Video hashing (ffmpeg looked for once, at start); when ffmpeg is absent its calls throw a 503 VideoError. */
  video: VideoService;
  /** How many pictures are decoded at once, and how much memory their pixels may take (503 when full). */
  decodeBudget: DecodeBudget;
  /** The platform integration's in-memory indexes and settings, shared with the job worker of this process. */
  platform: PlatformRuntime;
  /** The copies people shared with reviewers (encrypted files in the data dir); withdrawal and retention erase them. */
  sharedCopies: SharedCopies;
  /** The Prometheus figures of this process (`GET /metrics`); share it with the worker so job timings show too. */
  metrics: Metrics;
  /** Spans for each request when tracing is configured (OTEL_EXPORTER_OTLP_ENDPOINT); none otherwise. */
  tracer?: Tracer;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
