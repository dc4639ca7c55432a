import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { KEY_LIST_FORMAT, parseKeySet } from '../crypto/keys.ts';
import type { DecodeBudgetLimits } from '../media/decode-budget.ts';
import type { TracingSettings } from '../observability/tracing.ts';
import { ConfigError } from './config-error.ts';
import { DEFAULT_PLATFORM_CONFIG, readPlatformConfig, type PlatformConfig } from './platform-config.ts';
import { DEFAULT_OUTBOUND_POLICY, readOutboundPolicy } from './outbound-config.ts';
import type { OutboundPolicy } from '../net/outbound-guard.ts';
import { DEFAULT_EXCHANGE_CONFIG, readExchangeConfig, type ExchangeConfig } from './exchange-config.ts';
import { SettingsReader, type Environment } from './settings-reader.ts';
import { DEFAULT_SAFEGUARDS_CONFIG, readSafeguardsConfig, type SafeguardsConfig } from './safeguards-config.ts';
import { DEFAULT_NOTIFY_CONFIG, readNotifyConfig, type NotifyConfig } from './notify-config.ts';
import { DEFAULT_JURISDICTION_SETTINGS, readJurisdictionSettings, type JurisdictionSettings } from './jurisdiction-config.ts';
import { DEFAULT_STAFF_SIGN_IN, readStaffSignInConfig, type StaffSignInConfig } from './staff-sign-in-config.ts';

/**
 * Everything the server can be told at start. It is read once, at the edge (`takedown serve`, a CLI command,
 * a test), and handed down: nothing below reads the environment. Defaults make `npm start` work on a fresh
 * machine: the embedded database in ./data, listening on localhost:3000.
 */
export interface ServerConfig {
  /** Where the embedded database (PGlite) and the generated key file live. */
  dataDir: string;
  /** PostgreSQL connection string; when set, PostgreSQL is used instead of the embedded database. */
  databaseUrl?: string;
  /**
   * Base64 or hex encoding of 32 random bytes, or a list of them during a key rotation (the current key first,
   * comma-separated); when unset, a key file is generated in the data dir.
   */
  secretKey?: string;
  host: string;
  port: number;
  /** Requests larger than this are answered 413. */
  bodyLimitBytes: number;
  /**
   * The same for removal requests and items added to a case (`POST /v1/requests`, `/v1/cases/:n/items`), and
   * for the JSON forms of the platform's checks and content entries: larger, because a video's vPDQ is about
   * 100 bytes of JSON per second of changing picture. (Files sent as multipart have their own limits.)
   */
  requestBodyLimitBytes: number;
  /** Public intake (`POST /v1/requests`): requests per IP per window. */
  intakeRateLimit: { max: number; windowMs: number };
  /** Staff session lifetime. */
  sessionTtlMs: number;
  /** PII of a closed case is deleted this long after closure (default one year). */
  retentionMs: number;
  /** How long an incomplete request's draft is kept before the retention job deletes it (TAKEDOWN_DRAFT_HOURS). */
  draftTtlMs: number;
  /** How often the worker looks for jobs, and how often periodic jobs (escalation, retention) are queued. */
  workerPollMs: number;
  escalationEveryMs: number;
  retentionEveryMs: number;
  /** Run the job worker inside the server process. */
  runWorker: boolean;
  /** Demo data was asked for (`takedown serve --demo`, as `npm start` does): the staff console says so. */
  demoData: boolean;
  /** During a key rotation: values and shared copies re-encrypted per batch, and how often a batch runs. */
  rekey: { batchSize: number; everyMs: number };
  logLevel: LogLevel;
  /**
   * Behind a reverse proxy: trust X-Forwarded-For from these proxies only (comma-separated addresses/CIDRs, or
   * loopback, linklocal, uniquelocal), so limits apply per client, not per proxy. false (default): none.
   * Never "every proxy": a client could then pick its own address.
   */
  trustProxy: false | string;
  /** ffmpeg and ffprobe for video hashing: paths, or names looked up on PATH. */
  ffmpegPath: string;
  ffprobePath: string;
  /** The built web pages (packages/web/dist, made by `vite build`). */
  webDistDir: string;
  /** The platform integration: upload limits, index sync, API key cache, webhook retries. */
  platform: PlatformConfig;
  /** Pictures decoded on the server (uploads, shared copies, previews): at once, pixel memory, waiting. */
  decode: DecodeBudgetLimits;
  /** Where the server may connect for partners (webhooks): public HTTPS addresses, plus the operator's allow-list. */
  outbound: OutboundPolicy;
  /** Following other deployments' feeds (TAKEDOWN_EXCHANGE_*). */
  exchange: ExchangeConfig;
  /** The bearer token Prometheus sends to `GET /metrics`; unset: metrics are off (404). */
  metricsToken?: string;
  /** Where OpenTelemetry spans go (OTLP/HTTP); unset: no tracing. */
  tracing?: TracingSettings;
  /** Uploaders' appeals and notifier safeguards (TAKEDOWN_APPEAL_*, TAKEDOWN_NOTIFIER_*). */
  safeguards: SafeguardsConfig;
  /** Notifications to requesters and staff: SMTP, staff routes, links (TAKEDOWN_SMTP_URL, TAKEDOWN_STAFF_ALERTS, …). */
  notify: NotifyConfig;
  /** Staff sign-in: passwords, a second factor, single sign-on (TAKEDOWN_STAFF_*, TAKEDOWN_OIDC_*). */
  staffSignIn: StaffSignInConfig;
  /** Jurisdiction profiles and the deployment's default (TAKEDOWN_JURISDICTIONS_FILE, TAKEDOWN_DEFAULT_JURISDICTION). */
  jurisdictions: JurisdictionSettings;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const defaultConfig: ServerConfig = {
  dataDir: resolve('data'),
  host: '127.0.0.1',
  port: 3000,
  bodyLimitBytes: 256 * 1024,
  requestBodyLimitBytes: 4 * 1024 * 1024,
  intakeRateLimit: { max: 30, windowMs: 60_000 },
  sessionTtlMs: 8 * HOUR,
  retentionMs: 365 * DAY,
  draftTtlMs: 72 * HOUR,
  workerPollMs: 1_000,
  escalationEveryMs: 60_000,
  retentionEveryMs: HOUR,
  runWorker: true,
  demoData: false,
  rekey: { batchSize: 200, everyMs: 1_000 },
  logLevel: 'info',
  trustProxy: false,
  ffmpegPath: 'ffmpeg',
  ffprobePath: 'ffprobe',
  webDistDir: resolve(import.meta.dirname, '../../../web/dist'),
  platform: DEFAULT_PLATFORM_CONFIG,
  decode: { concurrency: Math.max(2, availableParallelism()), memoryBytes: 512 * 1024 * 1024, queue: 32 },
  outbound: DEFAULT_OUTBOUND_POLICY,
  exchange: DEFAULT_EXCHANGE_CONFIG,
  safeguards: DEFAULT_SAFEGUARDS_CONFIG,
  notify: DEFAULT_NOTIFY_CONFIG,
  staffSignIn: DEFAULT_STAFF_SIGN_IN,
  jurisdictions: DEFAULT_JURISDICTION_SETTINGS,
};

/**
 * Reads every setting from the environment (DATABASE_URL, HOST, PORT, TAKEDOWN_*) over the defaults, then
 * applies `overrides` (set by code: command-line flags, tests). Throws one ConfigError naming every variable
 * that cannot be used and what to set instead.
 * @example
 * const config = loadConfig(process.env, { runWorker: false });
 */
export function loadConfig(env: Environment, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const read = new SettingsReader(env);
  const d = defaultConfig;
  const port = read.wholeNumber('PORT', d.port, { max: 65_535, unit: 'port', what: 'a TCP port number', example: 3000 });
  const config: ServerConfig = {
    ...d,
    dataDir: resolve(read.text('TAKEDOWN_DATA_DIR') ?? d.dataDir),
    databaseUrl: readDatabaseUrl(read),
    secretKey: readSecretKey(read),
    host: read.text('HOST')?.trim() ?? d.host,
    port,
    bodyLimitBytes: read.wholeNumber('TAKEDOWN_BODY_LIMIT_BYTES', d.bodyLimitBytes, { min: 1, unit: 'bytes' }),
    requestBodyLimitBytes: read.wholeNumber('TAKEDOWN_REQUEST_BODY_LIMIT_BYTES', d.requestBodyLimitBytes, { min: 1, unit: 'bytes' }),
    intakeRateLimit: {
      max: read.wholeNumber('TAKEDOWN_INTAKE_RATE_LIMIT', d.intakeRateLimit.max, { min: 1, unit: 'requests' }),
      windowMs: read.wholeNumber('TAKEDOWN_INTAKE_RATE_WINDOW_MS', d.intakeRateLimit.windowMs, { min: 1, unit: 'milliseconds' }),
    },
    retentionMs: read.wholeNumber('TAKEDOWN_RETENTION_DAYS', d.retentionMs / DAY, { unit: 'days' }) * DAY,
    draftTtlMs: read.wholeNumber('TAKEDOWN_DRAFT_HOURS', d.draftTtlMs / HOUR, { min: 1, max: 30 * 24, unit: 'hours' }) * HOUR,
    rekey: {
      batchSize: read.wholeNumber('TAKEDOWN_REKEY_BATCH', d.rekey.batchSize, { min: 1, unit: 'values' }),
      everyMs: read.wholeNumber('TAKEDOWN_REKEY_EVERY_MS', d.rekey.everyMs, { min: 1, unit: 'milliseconds' }),
    },
    logLevel: read.choice('TAKEDOWN_LOG_LEVEL', LOG_LEVELS, d.logLevel),
    trustProxy: readTrustProxy(read),
    ...readMediaTools(read),
    webDistDir: resolve(read.text('TAKEDOWN_WEB_DIST') ?? d.webDistDir),
    platform: readPlatformConfig(read),
    decode: {
      concurrency: read.wholeNumber('TAKEDOWN_DECODE_CONCURRENCY', d.decode.concurrency, { min: 1, unit: 'decodes' }),
      memoryBytes: read.wholeNumber('TAKEDOWN_DECODE_MEMORY_BYTES', d.decode.memoryBytes, { min: 1, unit: 'bytes' }),
      queue: read.wholeNumber('TAKEDOWN_DECODE_QUEUE', d.decode.queue, { unit: 'decodes' }),
    },
    outbound: readOutboundPolicy(read),
    exchange: readExchangeConfig(read),
    metricsToken: readMetricsToken(read),
    tracing: readTracing(read),
    safeguards: readSafeguardsConfig(read),
    notify: readNotifyConfig(read, port),
    staffSignIn: readStaffSignInConfig(read),
    jurisdictions: readJurisdictionSettings(read),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return { ...config, ...overrides };
}

/**
 * Where ffmpeg and ffprobe are (TAKEDOWN_FFMPEG, TAKEDOWN_FFPROBE): the part of the configuration that the
 * hashing commands need, read without the server's other settings (`takedown hash` does not fail on a bad
 * server variable).
 * @example
 * await hashVideoFile(path, { ...readMediaTools(new SettingsReader(process.env)) });
 */
export function readMediaTools(read: SettingsReader): { ffmpegPath: string; ffprobePath: string } {
  return {
    ffmpegPath: read.text('TAKEDOWN_FFMPEG') ?? defaultConfig.ffmpegPath,
    ffprobePath: read.text('TAKEDOWN_FFPROBE') ?? defaultConfig.ffprobePath,
  };
}

function readDatabaseUrl(read: SettingsReader): string | undefined {
  const raw = read.text('DATABASE_URL');
  if (raw === undefined) return undefined;
  let protocol = '';
  try {
    protocol = new URL(raw.trim()).protocol;
  } catch {
    // not a URL: reported below
  }
  // The value is not repeated in the message: it may hold a password.
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    read.problem('DATABASE_URL', 'DATABASE_URL must be a PostgreSQL connection string such as postgres://user:password@host:5432/takedown (unset it to use the embedded database).');
    return undefined;
  }
  return raw.trim();
}

function readSecretKey(read: SettingsReader): string | undefined {
  const raw = read.text('TAKEDOWN_SECRET_KEY');
  if (raw === undefined) return undefined;
  // Never echoed: it is the key to every case's personal data.
  if (!parseKeySet(raw)) read.problem('TAKEDOWN_SECRET_KEY', `TAKEDOWN_SECRET_KEY must hold ${KEY_LIST_FORMAT}; unset it to use the key file in the data directory.`);
  return raw;
}

const METRICS_TOKEN_MIN_LENGTH = 32;

function readMetricsToken(read: SettingsReader): string | undefined {
  const raw = read.text('TAKEDOWN_METRICS_TOKEN');
  if (raw === undefined) return undefined;
  // Never echoed: it is a credential.
  if (!/^[\x21-\x7e]+$/.test(raw.trim()) || raw.trim().length < METRICS_TOKEN_MIN_LENGTH) {
    read.problem('TAKEDOWN_METRICS_TOKEN', `TAKEDOWN_METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} printable characters without spaces (e.g. \`openssl rand -hex 32\`); unset it to turn metrics off.`);
    return undefined;
  }
  return raw.trim();
}

function readTracing(read: SettingsReader): TracingSettings | undefined {
  const serviceName = read.text('OTEL_SERVICE_NAME')?.trim() ?? 'takedown';
  const raw = read.text('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw.trim());
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    read.problem('OTEL_EXPORTER_OTLP_ENDPOINT', `OTEL_EXPORTER_OTLP_ENDPOINT must be the http(s) address of an OTLP/HTTP receiver, such as http://127.0.0.1:4318 (spans go to its /v1/traces); got "${raw}". Unset it to turn tracing off.`);
    return undefined;
  }
  return { endpoint: raw.trim(), serviceName };
}

/** Names proxy-addr (Fastify's trustProxy) accepts besides addresses and CIDR ranges. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** What to write instead of a value that would trust every client: shown with each refusal. */
const NAME_THE_PROXY = 'name your reverse proxy\'s addresses instead, comma-separated (e.g. 127.0.0.1, or 10.0.0.5,10.0.0.6, or 10.0.0.0/24; also loopback, linklocal, uniquelocal)';

function readTrustProxy(read: SettingsReader): false | string {
  const raw = read.text('TAKEDOWN_TRUST_PROXY');
  if (raw === undefined || raw.trim() === 'false') return false;
  const entries = raw.split(',').map((entry) => entry.trim());
  // Trusting every hop (true, *, a hop count, or a range that holds every address) lets any client name its own
  // address in X-Forwarded-For and so escape the sign-in, intake and PIN limits.
  const everyone = entries.filter((entry) => ['true', '*'].includes(entry.toLowerCase()) || /^\d+$/.test(entry) || /^(0\.0\.0\.0|::)\/0$/.test(entry));
  if (everyone.length > 0) {
    read.problem('TAKEDOWN_TRUST_PROXY', `TAKEDOWN_TRUST_PROXY="${everyone.join(',')}" would trust every client's X-Forwarded-For, so anyone could choose their own address and escape the rate limits: ${NAME_THE_PROXY}.`);
    return false;
  }
  const bad = entries.filter((entry) => !PROXY_NAMES.includes(entry) && !isAddressOrRange(entry));
  if (bad.length > 0) {
    read.problem('TAKEDOWN_TRUST_PROXY', `TAKEDOWN_TRUST_PROXY must be false or the proxy addresses: ${NAME_THE_PROXY}; "${bad.join('", "')}" is not an address or range.`);
    return false;
  }
  return entries.join(',');
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}
