/**
 * A reference webhook receiver for a platform that uses takedown: it verifies each event's signature,
 * refuses replays (signatures older than 5 minutes) and duplicates (same event id), "removes" the content
 * named by `item.remove` events from its own store, and acknowledges each removal to takedown with
 * `POST /v1/items/:id/removed` — the call that stops the legal clock.
 *
 * No dependencies beyond Node: copy it into your platform and replace `removeContent` with the real thing.
 *
 *   TAKEDOWN_URL=http://127.0.0.1:3000 TAKEDOWN_API_KEY=tdk_… WEBHOOK_SECRET=whsec_… PORT=4000 \
 *     node examples/platform-receiver/receiver.ts
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  id: string;
  type: 'item.remove' | 'item.restore' | 'case.withdrawn' | 'check.review' | string;
  createdAt: string;
  data: Record<string, unknown>;
}

export interface ReceiverOptions {
  /** The signing secret takedown gave when the webhook was set. */
  secret: string;
  /** Where takedown runs, e.g. http://127.0.0.1:3000, and the platform's API key (scope "removals"). */
  takedownUrl: string;
  apiKey: string;
  port?: number;
  host?: string;
  /** Signatures older than this are replays (default 300 s). */
  toleranceSeconds?: number;
  /** The platform's own clock, in unix seconds (tests may pass another). */
  nowSeconds?: () => number;
  /** Takes the content down on the platform. Default: records it in `removed`. */
  removeContent?: (event: ReceivedEvent) => Promise<void>;
}

export interface Receiver {
  url: string;
  /** Every accepted event, once each, in arrival order. */
  events: ReceivedEvent[];
  /** Content ids and item ids taken down. */
  removed: Set<string>;
  /** Item ids acknowledged to takedown. */
  acknowledged: Set<string>;
  /** Requests refused, by reason (bad signature, replay…). */
  refused: { reason: string }[];
  /** Deliveries of an event already seen (answered 200, not processed again). */
  duplicates: number;
  close(): Promise<void>;
}

/** Checks `t=<unix>,v1=<hex>` against HMAC-SHA256(secret, t + "." + body). */
export function verifySignature(header: string | undefined, secret: string, body: string, nowSeconds: number, toleranceSeconds = 300): { ok: true } | { ok: false; reason: string } {
  if (!header) return { ok: false, reason: 'missing signature' };
  const fields = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    fields.set(key, [...(fields.get(key) ?? []), value ?? '']);
  }
  const t = Number(fields.get('t')?.[0]);
  const signatures = (fields.get('v1') ?? []).filter((s) => /^[0-9a-f]{64}$/.test(s));
  if (!Number.isInteger(t) || signatures.length === 0) return { ok: false, reason: 'malformed signature' };
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return { ok: false, reason: 'replay: signature too old' };
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected)) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}

async function readBody(request: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const seen = new Set<string>();
  const receiver: Omit<Receiver, 'url' | 'close'> = { events: [], removed: new Set(), acknowledged: new Set(), refused: [], duplicates: 0 };
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const removeContent =
    options.removeContent ??
    (async (event: ReceivedEvent) => {
      for (const id of (event.data.contentIds as string[] | undefined) ?? []) receiver.removed.add(id);
      receiver.removed.add(String(event.data.itemId));
    });

  /** Tells takedown the item is down; retried a few times (the event itself was already answered 200). */
  async function acknowledge(itemId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await fetch(`${options.takedownUrl}/v1/items/${itemId}/removed`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
        body: '{}',
      }).catch(() => undefined);
      if (response?.ok) {
        receiver.acknowledged.add(itemId);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    const body = await readBody(request);
    const signature = request.headers['takedown-signature'];
    const check = verifySignature(typeof signature === 'string' ? signature : undefined, options.secret, body, now(), options.toleranceSeconds);
    if (!check.ok) {
      receiver.refused.push({ reason: check.reason });
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: check.reason }));
      return;
    }
    const event = JSON.parse(body) as ReceivedEvent;
    // At-least-once delivery: the same event may come again; its id makes processing it twice harmless.
    if (seen.has(event.id)) {
      receiver.duplicates += 1;
      response.writeHead(200).end();
      return;
    }
    seen.add(event.id);
    receiver.events.push(event);
    response.writeHead(200).end();
    if (event.type === 'item.remove') {
      await removeContent(event);
      await acknowledge(String(event.data.itemId));
    }
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    ...receiver,
    get events() {
      return receiver.events;
    },
    get duplicates() {
      return receiver.duplicates;
    },
    url: `http://${address.address}:${address.port}/takedown/events`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = process.env;
  if (!env.WEBHOOK_SECRET || !env.TAKEDOWN_URL || !env.TAKEDOWN_API_KEY) {
    console.error('Set WEBHOOK_SECRET, TAKEDOWN_URL and TAKEDOWN_API_KEY (see the comment at the top of receiver.ts).');
    process.exit(2);
  }
  const receiver = await startReceiver({ secret: env.WEBHOOK_SECRET, takedownUrl: env.TAKEDOWN_URL, apiKey: env.TAKEDOWN_API_KEY, port: Number(env.PORT ?? 4000) });
  console.log(`Receiving takedown events at ${receiver.url}`);
}
