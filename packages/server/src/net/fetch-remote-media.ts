import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkOutboundUrl, pinnedLookup, type OutboundPolicy } from './outbound-guard.ts';

/** How much a fetch may read and how long it may take, redirects and body included. */
export interface RemoteFetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

/**
 * How to connect to one address a caller named: the outbound guard resolves its host, refuses addresses the
 * server must not reach (private, loopback, link-local, cloud metadata) and pins the address it checked, by
 * handing back the `lookup` the connection uses. Called again for every redirect.
 */
export type OutboundConnect = (url: URL) => Promise<{ lookup?: LookupFunction }>;

/**
 * Connects only where the outbound guard allows (public addresses over https, or what the operator's
 * TAKEDOWN_OUTBOUND_ALLOWED_HOSTS / TAKEDOWN_OUTBOUND_ALLOW_HTTP open), pinned to the address it checked.
 */
export function guardedConnect(policy: OutboundPolicy): OutboundConnect {
  return async (url) => {
    const checked = await checkOutboundUrl(url.toString(), policy);
    if (!checked.ok) throw new RemoteFetchError('url_refused', checked.message);
    return { lookup: pinnedLookup(checked.destination) };
  };
}

/** Why a fetch failed: each a message for the caller that names no internal detail. */
export class RemoteFetchError extends Error {
  readonly code: 'invalid_url' | 'url_refused' | 'fetch_failed' | 'remote_too_large';
  constructor(code: RemoteFetchError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

const MAX_REDIRECTS = 5;

/**
 * Fetches a picture or video from an address a caller gave (HMA's `?url=`): http or https only, at most
 * five redirects (each connected through `connect`), at most `maxBytes` (refused from the Content-Length
 * when it says so, else as soon as the body passes it) within `timeoutMs` for everything.
 * @example
 * const media = await fetchRemoteMedia('https://cdn.example/p.jpg', { maxBytes: 1 << 20, timeoutMs: 5000 }, guard);
 */
export async function fetchRemoteMedia(address: string, limits: RemoteFetchLimits, connect: OutboundConnect): Promise<{ bytes: Buffer; contentType?: string }> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = httpUrl(address);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await get(url, await connect(url), signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        if (redirects >= MAX_REDIRECTS) throw new RemoteFetchError('fetch_failed', `The address redirected more than ${MAX_REDIRECTS} times; give the address of the file itself.`);
        url = httpUrl(new URL(location, url).toString());
        continue;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw new RemoteFetchError('fetch_failed', `The address answered HTTP ${status}, not the file.`);
      }
      const declared = Number(response.headers['content-length']);
      if (declared > limits.maxBytes) {
        response.destroy();
        throw tooLarge(limits.maxBytes);
      }
      return { bytes: await readCapped(response, limits.maxBytes), contentType: response.headers['content-type'] };
    }
  } catch (error) {
    if (error instanceof RemoteFetchError) throw error;
    if (signal.aborted) throw new RemoteFetchError('fetch_failed', `The address did not deliver the file within ${limits.timeoutMs} ms.`);
    throw new RemoteFetchError('fetch_failed', `The file could not be fetched (${(error as NodeJS.ErrnoException).code ?? 'connection failed'}).`);
  }
}

/** An http(s) address with a host, or an error saying what to send. */
function httpUrl(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new RemoteFetchError('invalid_url', 'The url is not a valid address; send a full http or https address, e.g. https://cdn.example/p.jpg.');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new RemoteFetchError('invalid_url', 'The url must be an http or https address with a host, e.g. https://cdn.example/p.jpg.');
  }
  return url;
}

function get(url: URL, options: { lookup?: LookupFunction }, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'GET', signal, lookup: options.lookup, headers: { accept: 'image/*, video/*', 'user-agent': 'takedown' } }, resolve);
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** The body, refused as soon as it passes `maxBytes` (whatever its Content-Length said). */
function readCapped(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Settled before the socket is dropped, whose own events then change nothing.
        reject(tooLarge(maxBytes));
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('aborted')));
  });
}

function tooLarge(maxBytes: number): RemoteFetchError {
  return new RemoteFetchError('remote_too_large', `Content too large: the file at the address is larger than ${maxBytes.toLocaleString('en')} bytes (TAKEDOWN_URL_FETCH_MAX_BYTES).`);
}
