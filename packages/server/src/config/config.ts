import { resolve } from 'node:path';

/**
 * Everything the server can be told at start, from the environment or the command line. Defaults make
 * `npm start` work on a fresh machine: the embedded database in ./data, listening on localhost:3000.
 */
export interface ServerConfig {
  /** Where the embedded database (PGlite) and the generated key file live. */
  dataDir: string;
  /** PostgreSQL connection string; when set, PostgreSQL is used instead of the embedded database. */
  databaseUrl?: string;
  /** Base64 or hex encoding of 32 random bytes; when unset, a key file is generated in the data dir. */
  secretKey?: string;
  host: string;
  port: number;
  /** Requests larger than this are answered 413. */
  bodyLimitBytes: number;
  /**
   * The same for removal requests and items added to a case (`POST /v1/requests`, `/v1/cases/:n/items`):
   * larger, because a video's vPDQ is about 100 bytes of JSON per second of changing picture.
   */
  requestBodyLimitBytes: number;
  /** Public intake (`POST /v1/requests`): requests per IP per window. */
  intakeRateLimit: { max: number; windowMs: number };
  /** Wrong case PINs before the case number is locked for `pinLockoutMs`. */
  pinMaxFailures: number;
  pinLockoutMs: number;
  /** Staff session lifetime. */
  sessionTtlMs: number;
  /** PII of a closed case is deleted this long after closure (default one year). */
  retentionMs: number;
  /** How often the worker looks for jobs, and how often periodic jobs (escalation, retention) are queued. */
  workerPollMs: number;
  escalationEveryMs: number;
  retentionEveryMs: number;
  /** Run the job worker inside the server process. */
  runWorker: boolean;
  logLevel: string;
  /**
   * Behind a reverse proxy: trust its X-Forwarded-For so rate limits apply per client, not per proxy.
   * false (default), true (any proxy), or a comma-separated list of proxy addresses/CIDRs.
   */
  trustProxy: boolean | string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const defaultConfig: ServerConfig = {
  dataDir: resolve('data'),
  host: '127.0.0.1',
  port: 3000,
  bodyLimitBytes: 256 * 1024,
  requestBodyLimitBytes: 4 * 1024 * 1024,
  intakeRateLimit: { max: 30, windowMs: 60_000 },
  pinMaxFailures: 5,
  pinLockoutMs: 15 * 60_000,
  sessionTtlMs: 8 * HOUR,
  retentionMs: 365 * DAY,
  workerPollMs: 1_000,
  escalationEveryMs: 60_000,
  retentionEveryMs: HOUR,
  runWorker: true,
  logLevel: 'info',
  trustProxy: false,
};

/** Thrown for a setting that cannot be used; the CLI prints it and exits with code 2. */
export class ConfigError extends Error {}

function integer(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a whole number, got "${raw}".`);
  return value;
}

/** Reads the settings from environment variables (TAKEDOWN_*, DATABASE_URL, PORT, HOST) over the defaults. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const config: ServerConfig = {
    ...defaultConfig,
    dataDir: resolve(env.TAKEDOWN_DATA_DIR || defaultConfig.dataDir),
    databaseUrl: env.DATABASE_URL || undefined,
    secretKey: env.TAKEDOWN_SECRET_KEY || undefined,
    host: env.HOST || defaultConfig.host,
    port: integer(env, 'PORT', defaultConfig.port),
    bodyLimitBytes: integer(env, 'TAKEDOWN_BODY_LIMIT_BYTES', defaultConfig.bodyLimitBytes),
    requestBodyLimitBytes: integer(env, 'TAKEDOWN_REQUEST_BODY_LIMIT_BYTES', defaultConfig.requestBodyLimitBytes),
    intakeRateLimit: {
      max: integer(env, 'TAKEDOWN_INTAKE_RATE_LIMIT', defaultConfig.intakeRateLimit.max),
      windowMs: integer(env, 'TAKEDOWN_INTAKE_RATE_WINDOW_MS', defaultConfig.intakeRateLimit.windowMs),
    },
    retentionMs: integer(env, 'TAKEDOWN_RETENTION_DAYS', defaultConfig.retentionMs / DAY) * DAY,
    logLevel: env.TAKEDOWN_LOG_LEVEL || defaultConfig.logLevel,
    trustProxy: !env.TAKEDOWN_TRUST_PROXY || env.TAKEDOWN_TRUST_PROXY === 'false' ? false : env.TAKEDOWN_TRUST_PROXY === 'true' ? true : env.TAKEDOWN_TRUST_PROXY,
  };
  return { ...config, ...overrides };
}
