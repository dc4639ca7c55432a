import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the route adds to the request's completion line (no PII, no hashes, no content ids). */
    completionLogFields?: Record<string, unknown>;
  }
}

/**
 * Fastify's request lines, with what a route adds (`addToCompletionLine`) written on the completion line
 * instead of a line of its own: a busy route (the upload check) writes two lines per request, not three,
 * and each answer's status and time sit beside its outcome.
 */
export class RequestLog extends LogController {
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = request.completionLogFields;
    if (fields === undefined || this.isLogDisabled(request)) return super.requestCompleted(error, request, reply);
    if (error) reply.log.error({ ...fields, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ ...fields, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** Adds `fields` to the request's completion line (at the level the line is written: info, or error). */
export function addToCompletionLine(request: FastifyRequest, fields: Record<string, unknown>): void {
  request.completionLogFields = request.completionLogFields ? { ...request.completionLogFields, ...fields } : fields;
}
