import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { defaultConfig, loadConfig } from '../../src/config/config.ts';
import { DEFAULT_PLATFORM_CONFIG } from '../../src/config/platform-config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

/** The ConfigError that `env` causes (fails the test when the settings are accepted). */
function problemsOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

// Every variable that can hold a bad value, one bad value each, and the whole line that names it.
const BAD: [variable: string, value: string, message: string][] = [
  ['DATABASE_URL', 'mysql://db.example/takedown', 'DATABASE_URL must be a PostgreSQL connection string such as postgres://user:password@host:5432/takedown (unset it to use the embedded database).'],
  ['TAKEDOWN_SECRET_KEY', 'short', 'TAKEDOWN_SECRET_KEY must hold one or more master keys (32 random bytes as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)), the current one first, separated by newlines or commas, and at most one `hash-keys:` entry; unset it to use the key file in the data directory.'],
  ['PORT', '99999', 'PORT must be a TCP port number, from 0 to 65535 (e.g. 3000); got "99999".'],
  ['TAKEDOWN_BODY_LIMIT_BYTES', '256k', 'TAKEDOWN_BODY_LIMIT_BYTES must be a whole number of bytes, 1 or more (e.g. 262144); got "256k".'],
  ['TAKEDOWN_REQUEST_BODY_LIMIT_BYTES', '0', 'TAKEDOWN_REQUEST_BODY_LIMIT_BYTES must be a whole number of bytes, 1 or more (e.g. 4194304); got "0".'],
  ['TAKEDOWN_URL_FETCH_TIMEOUT_MS', '30s', 'TAKEDOWN_URL_FETCH_TIMEOUT_MS must be a whole number of milliseconds, 1 or more (e.g. 30000); got "30s".'],
  ['TAKEDOWN_INTAKE_RATE_LIMIT', '-5', 'TAKEDOWN_INTAKE_RATE_LIMIT must be a whole number of requests, 1 or more (e.g. 30); got "-5".'],
  ['TAKEDOWN_INTAKE_RATE_WINDOW_MS', '1m', 'TAKEDOWN_INTAKE_RATE_WINDOW_MS must be a whole number of milliseconds, 1 or more (e.g. 60000); got "1m".'],
  ['TAKEDOWN_RETENTION_DAYS', '1.5', 'TAKEDOWN_RETENTION_DAYS must be a whole number of days, 0 or more (e.g. 365); got "1.5".'],
  ['TAKEDOWN_LOG_LEVEL', 'loud', 'TAKEDOWN_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud".'],
  ['TAKEDOWN_TRUST_PROXY', '10.0.0.1,10.0.0.300', 'TAKEDOWN_TRUST_PROXY must be false or the proxy addresses: name your reverse proxy\'s addresses instead, comma-separated (e.g. 127.0.0.1, or 10.0.0.5,10.0.0.6, or 10.0.0.0/24; also loopback, linklocal, uniquelocal); "10.0.0.300" is not an address or range.'],
  ['TAKEDOWN_WEBHOOK_RETRY_BASE_MS', '1e3', 'TAKEDOWN_WEBHOOK_RETRY_BASE_MS must be a whole number of milliseconds, 1 or more (e.g. 30000); got "1e3".'],
  ['TAKEDOWN_WEBHOOK_RETRY_MAX_MS', 'forever', 'TAKEDOWN_WEBHOOK_RETRY_MAX_MS must be a whole number of milliseconds, 1 or more (e.g. 86400000); got "forever".'],
  ['TAKEDOWN_WEBHOOK_MAX_ATTEMPTS', '0', 'TAKEDOWN_WEBHOOK_MAX_ATTEMPTS must be a whole number of attempts, 1 or more (e.g. 25); got "0".'],
  ['TAKEDOWN_WEBHOOK_TIMEOUT_MS', '10s', 'TAKEDOWN_WEBHOOK_TIMEOUT_MS must be a whole number of milliseconds, 1 or more (e.g. 10000); got "10s".'],
  ['TAKEDOWN_INDEX_SYNC_MS', '0', 'TAKEDOWN_INDEX_SYNC_MS must be a whole number of milliseconds, 1 or more (e.g. 250); got "0".'],
  ['TAKEDOWN_MAX_IMAGE_BYTES', '20MB', 'TAKEDOWN_MAX_IMAGE_BYTES must be a whole number of bytes, 1 or more (e.g. 20971520); got "20MB".'],
  ['TAKEDOWN_APPEAL_DECISION_HOURS', '0', 'TAKEDOWN_APPEAL_DECISION_HOURS must be a whole number of hours, from 1 to 8760 (e.g. 168); got "0".'],
  ['TAKEDOWN_NOTIFIER_SUSPEND_AFTER', '1', 'TAKEDOWN_NOTIFIER_SUSPEND_AFTER must be a whole number of unfounded notices, 2 or more (e.g. 3); got "1".'],
  ['TAKEDOWN_NOTIFIER_SUSPENSION_DAYS', '0', 'TAKEDOWN_NOTIFIER_SUSPENSION_DAYS must be a whole number of days, from 1 to 3650 (e.g. 30); got "0".'],
  ['TAKEDOWN_MAX_IMAGE_PIXELS', 'lots', 'TAKEDOWN_MAX_IMAGE_PIXELS must be a whole number of pixels, 1 or more (e.g. 50000000); got "lots".'],
  ['TAKEDOWN_MAX_VIDEO_BYTES', '2^30', 'TAKEDOWN_MAX_VIDEO_BYTES must be a whole number of bytes, 1 or more (e.g. 209715200); got "2^30".'],
  ['TAKEDOWN_MAX_BATCH_LINES', '-1', 'TAKEDOWN_MAX_BATCH_LINES must be a whole number of lines, 1 or more (e.g. 1000000); got "-1".'],
  ['TAKEDOWN_KEY_CACHE_MS', 'abc', 'TAKEDOWN_KEY_CACHE_MS must be a whole number of milliseconds, 0 or more (e.g. 30000); got "abc".'],
  ['TAKEDOWN_MATCH_HELPER_THREAD', 'yes', 'TAKEDOWN_MATCH_HELPER_THREAD must be 1 or 0 (true or false); got "yes".'],
  ['TAKEDOWN_MATCH_SHARD_ABOVE', 'many', 'TAKEDOWN_MATCH_SHARD_ABOVE must be a whole number of hashes, 0 or more (e.g. 262144); got "many".'],
  ['TAKEDOWN_MATCH_SHARD_ROWS', '0', 'TAKEDOWN_MATCH_SHARD_ROWS must be a whole number of rows, from 1 to 50000000 (e.g. 16777216); got "0".'],
];

describe('configuration', () => {
  it('starts from the defaults when nothing is set, and treats an empty variable as unset', () => {
    expect(loadConfig({})).toEqual(defaultConfig);
    expect(loadConfig({ PORT: '', TAKEDOWN_LOG_LEVEL: ' ', DATABASE_URL: '' })).toEqual(defaultConfig);
    expect(defaultConfig.platform).toEqual(DEFAULT_PLATFORM_CONFIG);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://takedown@db.internal:5433/takedown',
      TAKEDOWN_DATA_DIR: 'var/takedown',
      TAKEDOWN_SECRET_KEY: KEY,
      HOST: '0.0.0.0',
      PORT: '8080',
      TAKEDOWN_BODY_LIMIT_BYTES: '1000',
      TAKEDOWN_REQUEST_BODY_LIMIT_BYTES: '2000',
      TAKEDOWN_INTAKE_RATE_LIMIT: '5',
      TAKEDOWN_INTAKE_RATE_WINDOW_MS: '1000',
      TAKEDOWN_RETENTION_DAYS: '30',
      TAKEDOWN_LOG_LEVEL: 'WARN',
      TAKEDOWN_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16, loopback',
      TAKEDOWN_FFMPEG: '/opt/ffmpeg/bin/ffmpeg',
      TAKEDOWN_FFPROBE: '/opt/ffmpeg/bin/ffprobe',
      TAKEDOWN_WEB_DIST: '/srv/takedown/web',
      TAKEDOWN_WEBHOOK_RETRY_BASE_MS: '1000',
      TAKEDOWN_WEBHOOK_RETRY_MAX_MS: '60000',
      TAKEDOWN_WEBHOOK_MAX_ATTEMPTS: '3',
      TAKEDOWN_WEBHOOK_TIMEOUT_MS: '500',
      TAKEDOWN_INDEX_SYNC_MS: '100',
      TAKEDOWN_MAX_IMAGE_BYTES: '1024',
      TAKEDOWN_MAX_IMAGE_PIXELS: '4096',
      TAKEDOWN_MAX_VIDEO_BYTES: '2048',
      TAKEDOWN_MAX_BATCH_LINES: '10',
      TAKEDOWN_KEY_CACHE_MS: '0',
      TAKEDOWN_MATCH_HELPER_THREAD: 'false',
      TAKEDOWN_URL_FETCH_MAX_BYTES: '5000',
      TAKEDOWN_URL_FETCH_TIMEOUT_MS: '250',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://takedown@db.internal:5433/takedown',
      dataDir: resolve('var/takedown'),
      secretKey: KEY,
      host: '0.0.0.0',
      port: 8080,
      bodyLimitBytes: 1000,
      requestBodyLimitBytes: 2000,
      intakeRateLimit: { max: 5, windowMs: 1000 },
      retentionMs: 30 * 24 * 3_600_000,
      logLevel: 'warn',
      trustProxy: '10.0.0.1,192.168.0.0/16,loopback',
      ffmpegPath: '/opt/ffmpeg/bin/ffmpeg',
      ffprobePath: '/opt/ffmpeg/bin/ffprobe',
      webDistDir: '/srv/takedown/web',
      platform: {
        delivery: { ...DEFAULT_PLATFORM_CONFIG.delivery, baseMs: 1000, maxMs: 60_000, maxAttempts: 3, timeoutMs: 500 },
        indexSyncMs: 100,
        maxImageBytes: 1024,
        maxImagePixels: 4096,
        maxVideoBytes: 2048,
        maxBatchLines: 10,
        keyCacheMs: 0,
        matchHelperThread: false,
        urlFetch: { maxBytes: 5000, timeoutMs: 250 },
      },
    });
    expect(loadConfig({ TAKEDOWN_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(() => loadConfig({ TAKEDOWN_TRUST_PROXY: 'true' })).toThrow(
      'TAKEDOWN_TRUST_PROXY="true" would trust every client\'s X-Forwarded-For, so anyone could choose their own address and escape the rate limits: name your reverse proxy\'s addresses instead, comma-separated (e.g. 127.0.0.1, or 10.0.0.5,10.0.0.6, or 10.0.0.0/24; also loopback, linklocal, uniquelocal).',
    );
    // Every spelling of "trust whoever sends the header" is refused, with what to write instead.
    for (const everyone of ['true', 'TRUE', '*', '1', '10.0.0.1,true', '0.0.0.0/0', '::/0']) {
      expect(() => loadConfig({ TAKEDOWN_TRUST_PROXY: everyone })).toThrow(/would trust every client's X-Forwarded-For.*name your reverse proxy's addresses instead/);
    }
  });

  it('reads exactly the variables the README\'s configuration table documents', () => {
    const read = new Set<string>();
    loadConfig(new Proxy({}, { get: (_target, name) => (read.add(String(name)), undefined) }));
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Performance'));
    const documented = new Set([...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap(([, cell]) => [...cell.matchAll(/`([A-Z_]+)`/g)].map(([, name]) => name)));
    expect([...documented].sort()).toEqual([...read].sort());
  });

  it('lets code override what the environment says (command-line flags, tests)', () => {
    expect(loadConfig({ PORT: '8080' }, { port: 0, runWorker: false })).toMatchObject({ port: 0, runWorker: false });
  });

  for (const [variable, value, message] of BAD) {
    it(`names ${variable}="${value}" and says what to set`, () => {
      const error = problemsOf({ [variable]: value });
      expect(error.problems).toEqual([{ setting: variable, message }]);
      expect(error.message).toBe(message);
    });
  }

  it('names every bad variable at once, in one error', () => {
    const error = problemsOf(Object.fromEntries(BAD.map(([variable, value]) => [variable, value])));
    expect(error.problems.map((p) => p.setting).sort()).toEqual(BAD.map(([variable]) => variable).sort());
    expect(error.message.split('\n').sort()).toEqual(BAD.map(([, , message]) => message).sort());
  });

  it('never repeats a secret in a message', () => {
    const error = problemsOf({ DATABASE_URL: 'mysql://admin:hunter2@db/x', TAKEDOWN_SECRET_KEY: 'hunter3-not-32-bytes' });
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('hunter3');
  });

  it('says when the first webhook retry would come after the longest one', () => {
    const error = problemsOf({ TAKEDOWN_WEBHOOK_RETRY_BASE_MS: '5000', TAKEDOWN_WEBHOOK_RETRY_MAX_MS: '1000' });
    expect(error.problems).toEqual([
      {
        setting: 'TAKEDOWN_WEBHOOK_RETRY_BASE_MS',
        message: 'TAKEDOWN_WEBHOOK_RETRY_BASE_MS (5000) must not be larger than TAKEDOWN_WEBHOOK_RETRY_MAX_MS (1000): lower the first or raise the second.',
      },
    ]);
  });

  it('never lets a notifier be suspended before being warned (DSA Art. 23)', () => {
    expect(problemsOf({ TAKEDOWN_NOTIFIER_WARN_AFTER: '3', TAKEDOWN_NOTIFIER_SUSPEND_AFTER: '3' }).problems.map((p) => p.setting)).toEqual(['TAKEDOWN_NOTIFIER_SUSPEND_AFTER']);
    expect(loadConfig({ TAKEDOWN_APPEAL_DECISION_HOURS: '72', TAKEDOWN_NOTIFIER_SUSPENSION_DAYS: '14' }).safeguards).toMatchObject({ appealDecisionHours: 72, notifiers: { warnAfter: 2, suspendAfter: 3, suspensionMs: 14 * 86_400_000 } });
  });
});
