import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logOptions } from '../src/http/logging.ts';
import { addToCompletionLine, RequestLog } from '../src/http/request-log.ts';

/** The server's log settings and request lines, written to memory: what a route adds goes on its completion line. */
describe('request lines', () => {
  const lines: Record<string, unknown>[] = [];
  let app: FastifyInstance;

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    const options = logOptions('info');
    app = Fastify({ logger: { ...(options as object), stream }, logController: new RequestLog() });
    app.decorateRequest('completionLogFields', undefined);
    app.post('/checked', async (request) => {
      addToCompletionLine(request, { check: { checkId: 'c-1', verdict: 'allow', explanation: 'no match within any review threshold' } });
      addToCompletionLine(request, { extra: 1 });
      return { ok: true };
    });
    app.post('/failing', async (request) => {
      addToCompletionLine(request, { check: { checkId: 'c-2', verdict: 'review' } });
      throw new Error('the database went away');
    });
    app.post('/plain', async () => ({ ok: true }));
    app.post('/busy', { config: { completionLineOnly: true } }, async (request) => {
      addToCompletionLine(request, { check: { checkId: 'c-3', verdict: 'allow' } });
      return { ok: true };
    });
    app.post('/busy-refused', { config: { completionLineOnly: true }, onRequest: async (_request, reply) => reply.code(401).send({ error: 'no key' }) }, async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(() => app.close());

  const linesOf = (reqId: unknown) => lines.filter((line) => line.reqId === reqId);

  it('writes a request line and a completion line that carries the route\'s fields, and nothing from the body', async () => {
    const answer = await app.inject({ method: 'POST', url: '/checked?pin=123456', payload: { pdq: 'f'.repeat(64), contentId: 'secret-post', email: 'a@b.example' } });
    expect(answer.statusCode).toBe(200);
    const reqId = lines.find((line) => line.msg === 'incoming request' && (line.req as { path: string }).path === '/checked')?.reqId;
    const own = linesOf(reqId);
    expect(own.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
    expect(own[1]).toMatchObject({ level: 30, res: { statusCode: 200 }, check: { checkId: 'c-1', verdict: 'allow' }, extra: 1 });
    expect(typeof own[1].responseTime).toBe('number');
    const text = JSON.stringify(own);
    for (const secret of ['f'.repeat(64), 'secret-post', 'a@b.example', '123456']) expect(text).not.toContain(secret);
  });

  it('keeps the fields on the error line when the route fails', async () => {
    const answer = await app.inject({ method: 'POST', url: '/failing', payload: {} });
    expect(answer.statusCode).toBe(500);
    const completion = lines.find((line) => (line.check as { checkId?: string } | undefined)?.checkId === 'c-2' && line.res !== undefined);
    expect(completion).toMatchObject({ res: { statusCode: 500 }, check: { verdict: 'review' } });
  });

  it('leaves other routes\' lines as Fastify writes them', async () => {
    await app.inject({ method: 'POST', url: '/plain', payload: {} });
    const reqId = lines.find((line) => line.msg === 'incoming request' && (line.req as { path: string }).path === '/plain')?.reqId;
    const own = linesOf(reqId);
    expect(own.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
    expect(Object.keys(own[1]).sort()).toEqual(['hostname', 'level', 'msg', 'pid', 'reqId', 'res', 'responseTime', 'time']);
  });

  it('writes one line for a route that asks for the completion line only: the request line\'s fields on it', async () => {
    await app.inject({ method: 'POST', url: '/busy?pin=123456', payload: { pdq: 'f'.repeat(64) } });
    const completion = lines.find((line) => (line.check as { checkId?: string } | undefined)?.checkId === 'c-3')!;
    expect(linesOf(completion.reqId).map((line) => line.msg)).toEqual(['request completed']);
    expect(completion).toMatchObject({ level: 30, req: { method: 'POST', path: '/busy' }, res: { statusCode: 200 }, check: { verdict: 'allow' } });
    expect(Object.keys(completion.req as object).sort()).toEqual(['method', 'path', 'remoteAddress']);
    for (const secret of ['f'.repeat(64), '123456']) expect(JSON.stringify(completion)).not.toContain(secret);
    // refused before the handler: still its one line, with the request's fields and the answer's status
    await app.inject({ method: 'POST', url: '/busy-refused', payload: {} });
    const refused = lines.filter((line) => (line.req as { path?: string } | undefined)?.path === '/busy-refused');
    expect(refused.map((line) => line.msg)).toEqual(['request completed']);
    expect(refused[0]).toMatchObject({ res: { statusCode: 401 } });
  });

  it('redacts personal fields of any logged object one level down, without changing the object', () => {
    const person = { email: 'a@b.example', phone: '+39 333 1234567', fullName: 'Ada Rossi', statement: 'not consensual', pin: '12345678', password: 'hunter2', role: 'reviewer' };
    const failure = Object.assign(new Error('mail failed'), { email: 'c@d.example' });
    app.log.info({ person, err: failure, kept: { status: 'sent' } }, 'redaction probe');
    const line = lines.find((l) => l.msg === 'redaction probe')!;
    expect(line.person).toEqual({ email: '[redacted]', phone: '[redacted]', fullName: '[redacted]', statement: '[redacted]', pin: '[redacted]', password: '[redacted]', role: 'reviewer' });
    expect(line.err).toMatchObject({ message: 'mail failed', email: '[redacted]' });
    expect(line.kept).toEqual({ status: 'sent' });
    expect(person.email).toBe('a@b.example');
    expect(failure.email).toBe('c@d.example');
    for (const secret of ['a@b.example', 'c@d.example', '333 1234567', 'Ada Rossi', 'hunter2', '12345678']) expect(JSON.stringify(line)).not.toContain(secret);
  });
});
