import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A hash record as StopNCII's FetchHashes returns it (python-threatexchange: `StopNCIIHashRecord`). */
export interface StopNciiRecord {
  lastModtimestamp: number;
  signalType: string;
  hashValue: string;
  hashStatus: string;
  caseNumbers: Record<string, string>;
  CSPFeedbacks: { feedbackValue: string; tags: string[]; source: string }[];
}

/** One FetchHashes call as the server saw it. */
export interface FetchCall {
  startTimestamp: number;
  pageSize: number;
  nextPageToken: string | undefined;
  status: number;
}

export interface StopNciiServer {
  /** Base URL, like https://api.stopncii.org/v1. */
  url: string;
  keys: { subscriptionKey: string; fetchKey: string; feedbackKey: string };
  /** Adds or replaces records (by signalType + hashValue). */
  put(records: Omit<StopNciiRecord, 'caseNumbers' | 'CSPFeedbacks'>[]): void;
  /** The next `count` requests (after `afterOk` more answered well) are answered with `status` (a 5xx outage, say). */
  failNext(count: number, status: number, afterOk?: number): void;
  fetches: FetchCall[];
  /** Bodies received by SubmitFeedback, as sent. */
  feedback: unknown[];
  /** How long SubmitFeedback takes to answer (a slow API: senders overlap); 0 by default. */
  feedbackDelayMs: number;
  close(): Promise<void>;
}

/**
 * A local StopNCII hash API speaking the shapes python-threatexchange's client reads and writes
 * (threatexchange/exchanges/clients/stopncii/api.py): `GET /v1/FetchHashes?startTimestamp&pageSize[&nextPageToken]`
 * answering `{ count, nextPageToken, nextSetTimestamp, hasMoreRecords, hashRecords }`, and `POST /v1/SubmitFeedback`
 * taking `{ count, hashFeedbacks: [{ tags, feedbackValue, hashValue }] }`. Each endpoint wants its own
 * `x-functions-key` and the `Ocp-Apim-Subscription-Key`; a wrong one is a 401. Records changed at or after
 * startTimestamp come in (lastModtimestamp, hashValue) order; the page token is the last record sent;
 * nextSetTimestamp is the last record's lastModtimestamp (startTimestamp when the page is empty).
 */
export async function startStopNciiServer(): Promise<StopNciiServer> {
  const keys = { subscriptionKey: 'sub-key-1', fetchKey: 'fetch-key-1', feedbackKey: 'feedback-key-1' };
  const records = new Map<string, StopNciiRecord>();
  const fetches: FetchCall[] = [];
  const feedback: unknown[] = [];
  let failures = { count: 0, status: 503, afterOk: 0 };
  let feedbackDelayMs = 0;

  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const functionKey = url.pathname === '/v1/FetchHashes' ? keys.fetchKey : url.pathname === '/v1/SubmitFeedback' ? keys.feedbackKey : undefined;
    const body = req.method === 'POST' ? await readBody(req) : '';
    const call: FetchCall = { startTimestamp: Number(url.searchParams.get('startTimestamp')), pageSize: Number(url.searchParams.get('pageSize')), nextPageToken: url.searchParams.get('nextPageToken') ?? undefined, status: 200 };
    const answer = (status: number, payload: unknown) => {
      if (url.pathname === '/v1/FetchHashes') fetches.push({ ...call, status });
      send(status, payload);
    };
    if (functionKey === undefined) return send(404, { message: 'Resource not found' });
    if (req.headers['ocp-apim-subscription-key'] !== keys.subscriptionKey || req.headers['x-functions-key'] !== functionKey) return answer(401, { statusCode: 401, message: 'Access denied due to invalid subscription key.' });
    if (failures.count > 0 && failures.afterOk > 0) failures = { ...failures, afterOk: failures.afterOk - 1 };
    else if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      return answer(failures.status, { message: 'The service is unavailable.' });
    }
    if (url.pathname === '/v1/SubmitFeedback') {
      if (req.method !== 'POST') return send(405, { message: 'POST only' });
      feedback.push(JSON.parse(body));
      if (feedbackDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, feedbackDelayMs));
      return send(200, {});
    }
    const sorted = [...records.values()].filter((r) => r.lastModtimestamp >= call.startTimestamp).sort((a, b) => a.lastModtimestamp - b.lastModtimestamp || a.hashValue.localeCompare(b.hashValue));
    let from = 0;
    if (call.nextPageToken) {
      const last = JSON.parse(Buffer.from(call.nextPageToken, 'base64url').toString()) as { t: number; h: string };
      from = sorted.findIndex((r) => r.lastModtimestamp > last.t || (r.lastModtimestamp === last.t && r.hashValue.localeCompare(last.h) > 0));
      if (from < 0) from = sorted.length;
    }
    const page = sorted.slice(from, from + call.pageSize);
    const hasMoreRecords = from + page.length < sorted.length;
    const last = page.at(-1);
    answer(200, {
      count: page.length,
      nextPageToken: hasMoreRecords && last ? Buffer.from(JSON.stringify({ t: last.lastModtimestamp, h: last.hashValue })).toString('base64url') : null,
      nextSetTimestamp: last?.lastModtimestamp ?? call.startTimestamp,
      hasMoreRecords,
      hashRecords: page,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    keys,
    put(changed) {
      for (const r of changed) records.set(`${r.signalType}:${r.hashValue}`, { ...r, caseNumbers: { [`case-${r.hashValue.slice(0, 6)}`]: r.hashStatus }, CSPFeedbacks: [] });
    },
    failNext(count, status, afterOk = 0) {
      failures = { count, status, afterOk };
    },
    fetches,
    feedback,
    get feedbackDelayMs() {
      return feedbackDelayMs;
    },
    set feedbackDelayMs(ms: number) {
      feedbackDelayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
