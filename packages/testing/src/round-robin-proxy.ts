import { request as httpRequest, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Most a request body may be: the proxy holds it in memory so that it can send it again to another replica. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface RoundRobinProxy {
  url: string;
  /** How many requests each upstream answered, in the order the upstreams were given. */
  answered: number[];
  /** How many requests each upstream has now: sent, not yet answered. */
  inFlight: number[];
  /** Requests that reached no upstream (every one refused the connection): answered 502. */
  unreachable: number;
  close(): Promise<void>;
}

/**
 * A load balancer for tests, on loopback: each request goes to the next upstream in turn, as a round-robin
 * proxy in front of several `takedown serve` replicas would send it. An upstream that refuses the connection
 * (a replica that died) gets nothing — the request goes to the next one, which is safe because nothing was
 * sent — while a connection that breaks mid-request is answered 502, and the client never sees an answer
 * from the server: a request is acknowledged only by the answer it got.
 * @example
 * const proxy = await startRoundRobinProxy([replicaA.baseUrl, replicaB.baseUrl]);
 * await fetch(`${proxy.url}/v1/requests`, { method: 'POST', body });
 */
export async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  const targets = upstreams.map((u) => new URL(u));
  let next = 0;
  const proxy: RoundRobinProxy = { url: '', answered: targets.map(() => 0), inFlight: targets.map(() => 0), unreachable: 0, close: async () => undefined };

  const forward = (index: number, incoming: IncomingMessage, body: Buffer, reply: ServerResponse, tried: number): void => {
    const target = targets[index];
    proxy.inFlight[index] += 1;
    let ended = false;
    const end = () => {
      if (!ended) proxy.inFlight[index] -= 1;
      ended = true;
    };
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        end();
        proxy.answered[index] += 1;
        reply.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(reply);
        answer.on('error', () => reply.destroy());
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      end();
      if (error.code === 'ECONNREFUSED' && tried + 1 < targets.length) return forward((index + 1) % targets.length, incoming, body, reply, tried + 1);
      if (error.code === 'ECONNREFUSED') proxy.unreachable += 1;
      if (!reply.headersSent) reply.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'bad_gateway', message: `upstream ${target.host}: ${error.code ?? error.message}` } }));
      else reply.destroy();
    });
    outgoing.end(body);
  };

  const server: Server = createServer((incoming, reply) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) incoming.destroy();
      else chunks.push(chunk);
    });
    incoming.on('end', () => {
      const index = next;
      next = (next + 1) % targets.length;
      forward(index, incoming, Buffer.concat(chunks), reply, 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
