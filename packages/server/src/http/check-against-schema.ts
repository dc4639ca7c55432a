import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { invalidRequest } from './errors.ts';
import { fieldErrorsFromSchema } from './validation-errors.ts';

/**
 * Checks a value that Fastify's own validation does not see (a multipart form's text fields) against a schema,
 * with the route's Ajv, and answers a mismatch with the same 400 and words as a schema on the body would.
 */
export function assertMatches<T extends TSchema>(request: FastifyRequest, schema: T, value: unknown): asserts value is Static<T> {
  const check = request.compileValidationSchema(schema, 'body');
  if (!check(value)) throw invalidRequest(fieldErrorsFromSchema(check.errors ?? [], 'body'));
}
