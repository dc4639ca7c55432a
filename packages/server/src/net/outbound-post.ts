import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pinnedLookup, type OutboundDestination } from './outbound-guard.ts';

/**
 * How a request to a partner ended, in coarse terms only: an answer's status, or the kind of failure. Socket
 * details (error codes, addresses, the reason a TLS handshake failed) are left out on purpose: whatever is
 * recorded is shown to the partner, and details would let a webhook URL probe a network.
 */
export type PostOutcome = { kind: 'answered'; status: number } | { kind: 'failed'; failure: 'timeout' | 'connection' | 'tls' };

/** TLS failures, as Node's error codes name them: handshake, protocol and certificate problems. */
function isTlsFailure(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_') || code === 'EPROTO' || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code));
}

/**
 * POSTs `body` to a checked destination, connecting to its checked address only (no second name resolution),
 * following no redirect and reading none of the answer's body. `signal` ends the attempt (a timeout).
 */
export function postOnce(destination: OutboundDestination, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<PostOutcome> {
  const request = destination.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ kind: 'failed', failure: 'timeout' });
    const req = request(destination.url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinnedLookup(destination),
      agent: false,
      signal,
    });
    req.on('response', (res) => {
      res.resume();
      res.on('error', () => undefined);
      resolve({ kind: 'answered', status: res.statusCode ?? 0 });
      req.destroy();
    });
    req.on('error', (error: Error & { code?: string }) => {
      if (signal.aborted || error.name === 'AbortError') resolve({ kind: 'failed', failure: 'timeout' });
      else resolve({ kind: 'failed', failure: isTlsFailure(error.code) ? 'tls' : 'connection' });
    });
    req.end(body);
  });
}
