/**
 * Tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set, sends spans through the official OpenTelemetry SDK to a real
 * OTLP/HTTP receiver (a node:http server here, taking the exports as a collector does): one span per request,
 * named by the route's template and joined to the caller's trace, and one per job.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@takedown/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createWorker } from '../../src/jobs/handlers.ts';
import { backends, type TestDatabase } from '../helpers/backends.ts';
import { platformTestConfig } from '../platform-helpers.ts';

interface ExportedSpan {
  name: string;
  traceId: string;
  parentSpanId?: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}
interface TraceExport {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: ExportedSpan[] }[] }[];
}

describe('OpenTelemetry tracing', () => {
  let db: TestDatabase;
  let receiver: Server;
  let endpoint: string;
  const exports: { path: string; contentType: string; body: TraceExport }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        exports.push({ path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body: JSON.parse(body) as TraceExport });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    db = await backends[0].create();
  });
  afterAll(async () => {
    await db?.drop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('is off unless configured, and reads its endpoint and service name from the environment', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'takedown-eu' }).tracing).toEqual({ endpoint: 'http://collector:4318', serviceName: 'takedown-eu' });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be the http\(s\) address of an OTLP\/HTTP receiver/);
  });

  it('sends a span per request (route template, the caller\'s trace) and per job to the OTLP/HTTP receiver', async () => {
    const { config, keys } = platformTestConfig(db.dataDir, { tracing: { endpoint, serviceName: 'takedown-test' } });
    const clock = new ManualClock(new Date('2026-06-01T08:00:00Z'));
    const app = await buildApp(config, { database: db.database, keys, clock });
    const worker = createWorker({ config, database: db.database, clock, keys, platform: app.services.platform, tracer: app.services.tracer });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const health = await app.inject({ method: 'GET', url: '/healthz', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(health.statusCode).toBe(200);
    const missing = await app.inject({ method: 'GET', url: '/v1/cases/TD-SECRET-NUMBER', headers: { 'takedown-case-pin': '12345678' } });
    expect(missing.statusCode).toBeGreaterThanOrEqual(400);
    await worker.schedulePeriodic();
    await worker.drain();
    await app.close(); // sends what is left

    expect(exports.length).toBeGreaterThan(0);
    expect(exports.every((e) => e.path === '/v1/traces' && e.contentType.startsWith('application/json'))).toBe(true);
    const resources = exports.flatMap((e) => e.body.resourceSpans);
    expect(resources[0].resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'takedown-test' } });
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const request = spans.find((s) => s.name === 'GET /healthz');
    expect(request?.traceId).toBe(traceId);
    expect(request?.parentSpanId).toBe('00f067aa0ba902b7');
    expect(request?.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: 200 } });
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['GET /v1/cases/:caseNumber', 'job deadlines.escalate']));
    expect(JSON.stringify(exports)).not.toContain('TD-SECRET-NUMBER');
  });
});
