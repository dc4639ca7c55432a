import { ROOT_CONTEXT, defaultTextMapGetter, type Context, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/** Where spans go: an OTLP/HTTP receiver (an OpenTelemetry Collector, Jaeger, Tempo…) and the name to report. */
export interface TracingSettings {
  /** The receiver's base address (OTEL_EXPORTER_OTLP_ENDPOINT); spans are posted to `<endpoint>/v1/traces`. */
  endpoint: string;
  serviceName: string;
}

/** A running trace exporter: the tracer to make spans with, and `shutdown` to send what is left and stop. */
export interface Tracing {
  tracer: Tracer;
  shutdown(): Promise<void>;
}

/**
 * Starts the official OpenTelemetry SDK's tracer with a batching OTLP/HTTP exporter. Nothing is registered
 * globally: the tracer is handed to the HTTP app and the worker, so two apps in one process keep theirs apart.
 * @example
 * const tracing = startTracing({ endpoint: 'http://127.0.0.1:4318', serviceName: 'takedown' });
 * await buildApp(config, { tracer: tracing.tracer }); // … later: await tracing.shutdown();
 */
export function startTracing(settings: TracingSettings): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${settings.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  return { tracer: provider.getTracer('takedown'), shutdown: () => provider.shutdown() };
}

const propagator = new W3CTraceContextPropagator();

/** The caller's trace (a `traceparent` header from a proxy or a platform), so our spans join it. */
export function parentFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}
