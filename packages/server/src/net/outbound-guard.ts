import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress, isAllowListed, type AllowList } from './address-ranges.ts';

/**
 * Where the server may send requests on a partner's behalf (webhook deliveries; fetching by URL). The
 * operator's allow-list lets a deployment reach its own internal hosts; plain HTTP is for development only.
 */
export interface OutboundPolicy {
  allowedHosts: AllowList;
  allowHttp: boolean;
}

/** A destination that passed the guard: connect to `address`, and only to it (see `pinnedLookup`). */
export interface OutboundDestination {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Why a URL was refused, as a stable code; the message says it in words, with what to do. */
export type OutboundRefusal = 'invalid_url' | 'credentials_in_url' | 'scheme' | 'unresolved' | 'forbidden_address';

export type OutboundCheck = { ok: true; destination: OutboundDestination } | { ok: false; refusal: OutboundRefusal; message: string };

/** Resolves a host name to every address it has (node:dns lookup, as connections do); injectable for tests. */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, order: 'verbatim' });

/** Name resolution failed: the name does not exist (yet), or the resolver did not answer. */
function isResolutionFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA' || code === 'EAI_FAIL' || code === 'ESERVFAIL';
}

/**
 * Checks a URL before the server connects to it: http(s) only (https unless `allowHttp`), no credentials in
 * it, and every address its host resolves to must be global unicast — unless the operator's allow-list names
 * the host or covers the address. All addresses are checked (a name that also resolves to a private address is
 * refused: the connection could pick either). Returns the checked address, to connect to with `pinnedLookup`
 * so that the name is not resolved a second time (DNS rebinding between check and connect).
 * @example
 * const checked = await checkOutboundUrl('https://hooks.example/takedown', policy);
 * if (checked.ok) https.request(checked.destination.url, { lookup: pinnedLookup(checked.destination) });
 */
export async function checkOutboundUrl(raw: string, policy: OutboundPolicy, resolve: Resolver = systemResolver): Promise<OutboundCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, refusal: 'invalid_url', message: 'The URL is not a valid absolute URL (e.g. https://platform.example/takedown/events).' };
  }
  if (url.username || url.password) return { ok: false, refusal: 'credentials_in_url', message: 'Put no user name or password in the URL; requests are signed instead.' };
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    const http = url.protocol === 'http:' ? ' (plain HTTP only on a development server, TAKEDOWN_OUTBOUND_ALLOW_HTTP=1)' : '';
    return { ok: false, refusal: 'scheme', message: `The URL must start with https://${http}.` };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    // An address in the URL is checked as written (the URL parser already turned 0x7f.1 and the like into 127.0.0.1).
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch (error) {
    if (!isResolutionFailure(error)) throw error;
    return { ok: false, refusal: 'unresolved', message: `The host name ${host} does not resolve to an address.` };
  }
  if (addresses.length === 0) return { ok: false, refusal: 'unresolved', message: `The host name ${host} does not resolve to an address.` };
  for (const { address } of addresses) {
    if (isAllowListed(policy.allowedHosts, host, address)) continue;
    const verdict = classifyAddress(address);
    if (!verdict.permitted) {
      const via = address === host ? '' : ` (${host} resolves to it)`;
      return {
        ok: false,
        refusal: 'forbidden_address',
        message: `The URL points at ${verdict.range}${via}; the server only connects to public addresses. An operator can allow an internal host with TAKEDOWN_OUTBOUND_ALLOWED_HOSTS.`,
      };
    }
  }
  const chosen = addresses[0];
  return { ok: true, destination: { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 } };
}

/**
 * A `lookup` for http.request / net.connect that answers with the checked address only, whatever name it is
 * asked about: the connection goes where the guard looked, and TLS still checks the certificate against the
 * URL's host name.
 */
export function pinnedLookup(destination: OutboundDestination): LookupFunction {
  const { address, family } = destination;
  return (_hostname, options, callback) => {
    if (options.all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}
