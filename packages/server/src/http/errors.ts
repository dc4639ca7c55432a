import { missingElements, type FieldError, type LawElementInfo } from '@takedown/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { DecodeBusyError } from '../media/decode-budget.ts';
import { bodyTooLargeMessage } from './body-limits.ts';
import { fieldErrorsFromSchema } from './validation-errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes a removal request: its 400s also name the §3(a)(1)(B) elements still missing. */
    removalRequest?: boolean;
  }
}

/**
 * An error that becomes an HTTP answer `{ error: { code, message, field?, fields? } }`. Thrown by routes and
 * services for anything the caller can fix; everything else is a 500 whose details stay in the log.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly field?: string;
  readonly fields?: FieldError[];
  /** Sent as Retry-After: when the caller may try again (a 429 from a guess throttle). */
  readonly retryAfterSeconds?: number;
  /** For a removal request: the §3(a)(1)(B) elements still missing. */
  readonly missing?: LawElementInfo[];
  /** When the caller may try again, as an ISO time in the body, so a page can show it in the reader's language and zone. */
  readonly retryAt?: string;
  /** A wrong-PIN warning: the wait, in seconds, that one more wrong PIN would bring (0: none yet). */
  readonly nextWaitSeconds?: number;
  /** A wrong-PIN warning: wrong PINs that may still be tried before one brings a wait, that one included. */
  readonly triesBeforeWait?: number;
  /** A wrong-PIN warning: the wait, in seconds, the last of those tries brings. */
  readonly waitAfterTriesSeconds?: number;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    extra: { field?: string; fields?: FieldError[]; retryAfterSeconds?: number; retryAt?: string; nextWaitSeconds?: number; triesBeforeWait?: number; waitAfterTriesSeconds?: number; missing?: LawElementInfo[] } = {},
  ) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.field = extra.field;
    this.fields = extra.fields;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.missing = extra.missing;
    this.retryAt = extra.retryAt;
    this.nextWaitSeconds = extra.nextWaitSeconds;
    this.triesBeforeWait = extra.triesBeforeWait;
    this.waitAfterTriesSeconds = extra.waitAfterTriesSeconds;
  }
}

/** A request body or query that fails validation: 400 with every problem by field. */
export function invalidRequest(fields: FieldError[]): HttpError {
  const message =
    fields.length === 1 ? fields[0].message : `${fields.length} fields need attention: ${fields.map((f) => f.field || 'the request').join(', ')}.`;
  return new HttpError(400, 'invalid_request', message, { field: fields[0]?.field, fields });
}

/**
 * A removal request that is not valid yet: 400 with every problem by field and the §3(a)(1)(B) elements still
 * missing, so the person (or the form) can complete it, from a draft if they saved one.
 */
export function incompleteRequest(fields: FieldError[]): HttpError {
  const base = invalidRequest(fields);
  return new HttpError(400, base.code, base.message, { field: base.field, fields, missing: missingElements(fields) });
}

/** Maps every error to the JSON error shape, and keeps bodies (which may hold PII) out of the log. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & Partial<HttpError>, request, reply) => {
    if (error instanceof HttpError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply
        .code(error.statusCode)
        .send({ error: { code: error.code, message: error.message, field: error.field, fields: error.fields, missing: error.missing, retryAt: error.retryAt, nextWaitSeconds: error.nextWaitSeconds, triesBeforeWait: error.triesBeforeWait, waitAfterTriesSeconds: error.waitAfterTriesSeconds } });
    }
    if (error instanceof DecodeBusyError) {
      reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(503).send({ error: { code: 'busy', message: error.message } });
    }
    if (error.validation) {
      const fields = fieldErrorsFromSchema(error.validation, error.validationContext ?? 'body');
      const http = request.routeOptions.config?.removalRequest && error.validationContext === 'body' ? incompleteRequest(fields) : invalidRequest(fields);
      return reply.code(400).send({ error: { code: http.code, message: http.message, field: http.field, fields, missing: http.missing } });
    }
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: { code: 'body_too_large', message: bodyTooLargeMessage(request) } });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({ error: { code: 'unsupported_media_type', message: 'Send the body as JSON with Content-Type: application/json.' } });
    }
    if (error.code?.startsWith('FST_CSRF')) {
      return reply.code(403).send({ error: { code: 'csrf_token_invalid', message: 'Missing or wrong CSRF token: send the token from login or GET /v1/staff/me in the x-csrf-token header.' } });
    }
    if (status === 429) {
      return reply.code(429).send({ error: { code: 'rate_limited', message: 'Too many requests from this address. Wait a minute and try again.' } });
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, empty body...): their messages name no user data.
      const code = error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'invalid_json' : 'bad_request';
      return reply.code(status).send({ error: { code, message: code === 'invalid_json' ? 'The body is not valid JSON.' : error.message } });
    }
    request.log.error({ err: { message: error.message, stack: error.stack, code: error.code } }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal_error', message: 'Something went wrong on our side; nothing was saved. Please try again.' } });
  });
  app.setNotFoundHandler((_request, reply) => {
    return reply.code(404).send({ error: { code: 'not_found', message: 'There is nothing at this address.' } });
  });
}
