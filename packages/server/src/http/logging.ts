import type { FastifyServerOptions } from 'fastify';

/**
 * Log settings: request line, status and timing only. Bodies are never logged (they hold PII and hashes of
 * intimate images), and headers that carry secrets are redacted in case something logs a request object.
 */
export function logOptions(level: string): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["takedown-case-pin"]',
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
