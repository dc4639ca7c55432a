import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidRequest } from './errors.ts';

/** The path and query values of a request, by parameter name (a repeated query parameter gives several). */
function addressValues(request: FastifyRequest): [string, unknown][] {
  const params = Object.entries((request.params ?? {}) as Record<string, unknown>);
  const query = Object.entries((request.query ?? {}) as Record<string, unknown>);
  return [...params, ...query];
}

/** The field an error names and how its message starts: a page route's wildcard is the address itself. */
function describe(name: string): { field: string; subject: string } {
  if (name === '*') return { field: 'path', subject: 'The address' };
  if (name.includes('\u0000')) return { field: 'query', subject: 'A parameter name' };
  return { field: name, subject: name };
}

/**
 * Refuses a NUL character (%00) in any path or query parameter of any route, with a 400 naming the parameter,
 * before anything else runs. PostgreSQL cannot hold NUL in text, so one that reached a query was a 500; route
 * schemas refuse control characters in the parameters they declare, and this catches the rest in one place
 * (undeclared query parameters, parameter names, routes added later).
 */
export function refuseNulInAddress(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request of every route (the upload check's too), and an
  // address with neither "%00" nor a raw NUL (nearly all) is passed on without decoding its parameters.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.includes('%00') && !request.url.includes('\u0000')) return done();
    for (const [name, value] of addressValues(request)) {
      const values = Array.isArray(value) ? value : [value];
      if (!name.includes('\u0000') && !values.some((v) => typeof v === 'string' && v.includes('\u0000'))) continue;
      const { field, subject } = describe(name);
      return done(invalidRequest([{ field, code: 'invalid_format', message: `${subject} must not hold a NUL character (%00); remove it.` }]));
    }
    done();
  });
}
