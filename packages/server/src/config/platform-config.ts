import { DEFAULT_DELIVERY_SCHEDULE, type DeliverySchedule } from '../platform/delivery-schedule.ts';
import type { MatchShardsConfig } from '../platform/sharded-pdq-matcher.ts';
import type { SettingsReader } from './settings-reader.ts';

/** Settings of the platform integration (content index, upload checks, webhooks). */
export interface PlatformConfig {
  delivery: DeliverySchedule;
  /** Webhook deliveries in flight at once, over all platforms (each platform's own go one at a time, in order). */
  deliveryConcurrency: number;
  /** How often the in-memory indexes read changes made by other processes (this process's own apply at once). */
  indexSyncMs: number;
  /** Largest image accepted for hashing, in bytes, and in decoded pixels (decompression bombs). */
  maxImageBytes: number;
  maxImagePixels: number;
  /** Largest video accepted for hashing, in bytes (held in memory while it is written to a private temporary file). */
  maxVideoBytes: number;
  /** Largest streamed content batch, in lines (each call is still idempotent, so split bigger backfills). */
  maxBatchLines: number;
  /** How long a verified API key is trusted without asking the database again (revocation delay). */
  keyCacheMs: number;
  /** A second thread for PDQ lookups once the banks hold 2 M hashes (lower latency, same CPU); on by default. */
  matchHelperThread: boolean;
  /**
   * From how many live PDQ hashes (at start, or once the banks grow that large) the banks' PDQ index is cut
   * into shards, each a match index in its own worker thread, and how many rows a shard holds (decisions 030
   * and 038). One index holds about 50 M at most.
   */
  matchShards: MatchShardsConfig;
  /** Media fetched from an address a caller names (HMA's `?url=`): largest body read, and time allowed for all of it. */
  urlFetch: { maxBytes: number; timeoutMs: number };
}

export const DEFAULT_PLATFORM_CONFIG: PlatformConfig = {
  delivery: DEFAULT_DELIVERY_SCHEDULE,
  deliveryConcurrency: 16,
  indexSyncMs: 250,
  maxImageBytes: 20 * 1024 * 1024,
  maxImagePixels: 50_000_000,
  maxVideoBytes: 200 * 1024 * 1024,
  maxBatchLines: 1_000_000,
  keyCacheMs: 30_000,
  matchHelperThread: true,
  // PDQ banks from 2^18 hashes are served from worker threads, so the HTTP thread does not wait for their
  // lookups (decision 034); a shard holds at most 2^24 rows (row numbers in 3 bytes)
  matchShards: { aboveHashes: 1 << 18, shardRows: 1 << 24 },
  // HMA's own defaults: MAX_REMOTE_FILE_SIZE 100 MiB, a 30 s request timeout.
  urlFetch: { maxBytes: 100 * 1024 * 1024, timeoutMs: 30_000 },
};

/** The largest upload a multipart route takes: an image or a video, whichever limit is larger. */
export function maxUploadBytes(config: PlatformConfig): number {
  return Math.max(config.maxImageBytes, config.maxVideoBytes);
}

/** Reads the platform settings (TAKEDOWN_WEBHOOK_*, TAKEDOWN_MAX_*, …) over the defaults; problems go to `read`. */
export function readPlatformConfig(read: SettingsReader): PlatformConfig {
  const d = DEFAULT_PLATFORM_CONFIG;
  const ms = 'milliseconds';
  const delivery: DeliverySchedule = {
    ...d.delivery,
    baseMs: read.wholeNumber('TAKEDOWN_WEBHOOK_RETRY_BASE_MS', d.delivery.baseMs, { min: 1, unit: ms }),
    maxMs: read.wholeNumber('TAKEDOWN_WEBHOOK_RETRY_MAX_MS', d.delivery.maxMs, { min: 1, unit: ms }),
    maxAttempts: read.wholeNumber('TAKEDOWN_WEBHOOK_MAX_ATTEMPTS', d.delivery.maxAttempts, { min: 1, unit: 'attempts' }),
    timeoutMs: read.wholeNumber('TAKEDOWN_WEBHOOK_TIMEOUT_MS', d.delivery.timeoutMs, { min: 1, unit: ms }),
  };
  if (delivery.baseMs > delivery.maxMs) {
    read.problem('TAKEDOWN_WEBHOOK_RETRY_BASE_MS', `TAKEDOWN_WEBHOOK_RETRY_BASE_MS (${delivery.baseMs}) must not be larger than TAKEDOWN_WEBHOOK_RETRY_MAX_MS (${delivery.maxMs}): lower the first or raise the second.`);
  }
  return {
    delivery,
    deliveryConcurrency: read.wholeNumber('TAKEDOWN_WEBHOOK_CONCURRENCY', d.deliveryConcurrency, { min: 1, unit: 'deliveries' }),
    indexSyncMs: read.wholeNumber('TAKEDOWN_INDEX_SYNC_MS', d.indexSyncMs, { min: 1, unit: ms }),
    maxImageBytes: read.wholeNumber('TAKEDOWN_MAX_IMAGE_BYTES', d.maxImageBytes, { min: 1, unit: 'bytes' }),
    maxImagePixels: read.wholeNumber('TAKEDOWN_MAX_IMAGE_PIXELS', d.maxImagePixels, { min: 1, unit: 'pixels' }),
    maxVideoBytes: read.wholeNumber('TAKEDOWN_MAX_VIDEO_BYTES', d.maxVideoBytes, { min: 1, unit: 'bytes' }),
    maxBatchLines: read.wholeNumber('TAKEDOWN_MAX_BATCH_LINES', d.maxBatchLines, { min: 1, unit: 'lines' }),
    keyCacheMs: read.wholeNumber('TAKEDOWN_KEY_CACHE_MS', d.keyCacheMs, { unit: ms }),
    matchHelperThread: read.flag('TAKEDOWN_MATCH_HELPER_THREAD', d.matchHelperThread),
    matchShards: {
      aboveHashes: read.wholeNumber('TAKEDOWN_MATCH_SHARD_ABOVE', d.matchShards.aboveHashes, { unit: 'hashes' }),
      shardRows: read.wholeNumber('TAKEDOWN_MATCH_SHARD_ROWS', d.matchShards.shardRows, { min: 1, max: 50_000_000, unit: 'rows' }),
    },
    urlFetch: {
      maxBytes: read.wholeNumber('TAKEDOWN_URL_FETCH_MAX_BYTES', d.urlFetch.maxBytes, { min: 1, unit: 'bytes' }),
      timeoutMs: read.wholeNumber('TAKEDOWN_URL_FETCH_TIMEOUT_MS', d.urlFetch.timeoutMs, { min: 1, unit: ms }),
    },
  };
}
