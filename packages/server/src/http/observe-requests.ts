import { SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../observability/metrics.ts';
import { parentFromHeaders } from '../observability/tracing.ts';

/**
 * Times every request into the metrics and, when tracing is on, makes one server span per request. Both name
 * the route's template (`/v1/items/:itemId/removed`), never the address asked for, so no case number, token
 * or content address reaches a label or a span.
 */
export function observeRequests(app: FastifyInstance, metrics: Metrics, tracer: Tracer | undefined): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched';
  if (tracer) {
    app.addHook('onRequest', async (request) => {
      const route = routeOf(request);
      const span = tracer.startSpan(
        `${request.method} ${route}`,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route } },
        parentFromHeaders(request.headers),
      );
      spans.set(request, span);
    });
  }
  // A callback hook (no promise per request): it runs on every answer, the upload check's included.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, routeOf(request), reply.statusCode, reply.elapsedTime / 1000);
    const span = tracer ? spans.get(request) : undefined;
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
