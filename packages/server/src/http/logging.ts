import type { FastifyServerOptions } from 'fastify';

/**
 * Log settings: request line, status and timing only. Bodies are never logged (they hold PII and hashes of
 * intimate images), and headers that carry secrets are redacted in case something logs a request object.
 */
export function logOptions(level: string): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    serializers: {
      // Path only: a query string might carry something that should not be there (a PIN pasted into a link).
      req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, path: req.url.split('?')[0], remoteAddress: req.ip }),
    },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["takedown-case-pin"]',
        'req.headers["takedown-draft-token"]',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        'req.body',
        '*.email',
        '*.phone',
        '*.fullName',
        '*.statement',
        '*.pin',
        '*.password',
      ],
      censor: '[redacted]',
    },
  };
}
