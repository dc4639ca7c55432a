import { LogController, type FastifyContextConfig, type FastifyReply, type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the route adds to the request's completion line (no PII, no hashes, no content ids). */
    completionLogFields?: Record<string, unknown>;
  }
  interface FastifyContextConfig {
    /**
     * One line per request instead of two: the request line's fields (method, path, address) go on the
     * completion line, and no line is written when the request arrives. For a route that answers in about a
     * millisecond and is asked thousands of times a second (the upload check), where a line costs the HTTP
     * thread about as much as everything else the route does but its lookup.
     */
    completionLineOnly?: boolean;
  }
}

/**
 * Fastify's request lines, with what a route adds (`addToCompletionLine`) written on the completion line
 * instead of a line of its own: a busy route (the upload check) writes two lines per request, not three,
 * and each answer's status and time sit beside its outcome; a route whose config says `completionLineOnly`
 * writes one, the completion line with the request line's fields.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (completionLineOnly(request)) return;
    super.incomingRequest(request, reply);
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = request.completionLogFields;
    const withRequest = completionLineOnly(request);
    if ((fields === undefined && !withRequest) || this.isLogDisabled(request)) return super.requestCompleted(error, request, reply);
    const line = withRequest ? { req: request, ...fields, res: reply, responseTime: reply.elapsedTime } : { ...fields, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** Whether the request's route writes its completion line only (a request no route took has no config). */
function completionLineOnly(request: FastifyRequest): boolean {
  return (request.routeOptions.config as FastifyContextConfig | undefined)?.completionLineOnly === true;
}

/** Adds `fields` to the request's completion line (at the level the line is written: info, or error). */
export function addToCompletionLine(request: FastifyRequest, fields: Record<string, unknown>): void {
  request.completionLogFields = request.completionLogFields ? { ...request.completionLogFields, ...fields } : fields;
}
