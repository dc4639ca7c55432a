import { DEFAULT_DELIVERY_SCHEDULE, type DeliverySchedule } from './delivery-schedule.ts';

/** Settings of the platform integration, from TAKEDOWN_* environment variables over these defaults. */
export interface PlatformConfig {
  delivery: DeliverySchedule;
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
}

export const DEFAULT_PLATFORM_CONFIG: PlatformConfig = {
  delivery: DEFAULT_DELIVERY_SCHEDULE,
  indexSyncMs: 250,
  maxImageBytes: 20 * 1024 * 1024,
  maxImagePixels: 50_000_000,
  maxVideoBytes: 200 * 1024 * 1024,
  maxBatchLines: 1_000_000,
  keyCacheMs: 30_000,
  matchHelperThread: true,
};

function number(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}".`);
  return value;
}

function flag(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`${name} must be 1 or 0 (true or false), got "${raw}".`);
}

/** The largest upload a multipart route takes: an image or a video, whichever limit is larger. */
export function maxUploadBytes(config: PlatformConfig): number {
  return Math.max(config.maxImageBytes, config.maxVideoBytes);
}

export function loadPlatformConfig(env: Record<string, string | undefined> = process.env): PlatformConfig {
  const d = DEFAULT_PLATFORM_CONFIG;
  return {
    delivery: {
      ...d.delivery,
      baseMs: number(env, 'TAKEDOWN_WEBHOOK_RETRY_BASE_MS', d.delivery.baseMs),
      maxMs: number(env, 'TAKEDOWN_WEBHOOK_RETRY_MAX_MS', d.delivery.maxMs),
      maxAttempts: number(env, 'TAKEDOWN_WEBHOOK_MAX_ATTEMPTS', d.delivery.maxAttempts),
      timeoutMs: number(env, 'TAKEDOWN_WEBHOOK_TIMEOUT_MS', d.delivery.timeoutMs),
    },
    indexSyncMs: number(env, 'TAKEDOWN_INDEX_SYNC_MS', d.indexSyncMs),
    maxImageBytes: number(env, 'TAKEDOWN_MAX_IMAGE_BYTES', d.maxImageBytes),
    maxImagePixels: number(env, 'TAKEDOWN_MAX_IMAGE_PIXELS', d.maxImagePixels),
    maxVideoBytes: number(env, 'TAKEDOWN_MAX_VIDEO_BYTES', d.maxVideoBytes),
    maxBatchLines: number(env, 'TAKEDOWN_MAX_BATCH_LINES', d.maxBatchLines),
    keyCacheMs: number(env, 'TAKEDOWN_KEY_CACHE_MS', d.keyCacheMs),
    matchHelperThread: flag(env, 'TAKEDOWN_MATCH_HELPER_THREAD', d.matchHelperThread),
  };
}
