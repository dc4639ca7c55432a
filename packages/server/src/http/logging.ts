import type { FastifyServerOptions } from 'fastify';
import pino, { type DestinationStream } from 'pino';

const CENSOR = '[redacted]';

/** Fields that hold personal data or secrets, redacted wherever a logged object (one level down) carries them. */
const SECRET_FIELDS = ['email', 'phone', 'fullName', 'statement', 'pin', 'password'] as const;

function hasSecretField(value: object): boolean {
  for (const field of SECRET_FIELDS) if (field in value) return true;
  return false;
}

/** A copy of `value` with its secret fields censored (an error keeps its message and stack). */
function censored(value: object): object {
  const copy = (value instanceof Error ? Object.assign(Object.create(Object.getPrototypeOf(value) as object) as object, value, { message: value.message, stack: value.stack }) : { ...value }) as Record<string, unknown>;
  for (const field of SECRET_FIELDS) if (field in copy) copy[field] = CENSOR;
  return copy;
}

/**
 * What pino's `*.email`-style redact paths did, for a few checks a line instead of a walk over every key
 * (about 3.5 µs a line): each logged object one level down loses its secret fields.
 * The line's own objects are copied, never changed.
 */
export function redactSecretFields(line: Record<string, unknown>): Record<string, unknown> {
  let out = line;
  for (const key in line) {
    const value = line[key];
    if (value === null || typeof value !== 'object' || !hasSecretField(value)) continue;
    if (out === line) out = { ...line };
    out[key] = censored(value);
  }
  return out;
}

/**
 * Log settings: request line, status and timing only. Bodies are never logged (they hold PII and hashes of
 * intimate images), and headers that carry secrets are redacted in case something logs a request object.
 * `stream`: where the lines go (default: standard output, through `stdoutLog`'s buffer when the app gives one).
 */
export function logOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      // Path only: a query string might carry something that should not be there (a PIN pasted into a link).
      req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, path: req.url.split('?')[0], remoteAddress: req.ip }),
    },
    formatters: { log: redactSecretFields },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["takedown-case-pin"]',
        'req.headers["takedown-draft-token"]',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        'req.body',
      ],
      censor: CENSOR,
    },
  };
}

/** How long a log line waits at most in `stdoutLog`'s buffer. */
export const LOG_FLUSH_MS = 100;

/**
 * Standard output for the server's log, written 16 KiB at a time (or every `LOG_FLUSH_MS`) instead of one
 * system call a line: at thousands of upload checks a second, a write per line cost the HTTP thread more
 * than the check itself. The writes stay on this thread (an asynchronous write would wake a thread-pool
 * thread each time, which costs about as much). Lines still buffered when the process exits are written
 * then; a process killed outright loses at most the last `LOG_FLUSH_MS`.
 */
export function stdoutLog(): { stream: DestinationStream; close: () => void } {
  const stream = pino.destination({ dest: 1, sync: true, minLength: 16 * 1024, maxWrite: 64 * 1024, periodicFlush: LOG_FLUSH_MS });
  const flush = () => stream.flushSync();
  process.on('exit', flush);
  return {
    stream,
    close: () => {
      process.off('exit', flush);
      flush();
    },
  };
}
