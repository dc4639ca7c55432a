import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/** Most hosts one platform may declare: enough for a CDN's shards, few enough to read in one list. */
export const MAX_DECLARED_HOSTS = 1000;

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const EXAMPLE = 'e.g. example.com or *.cdn.example.com';

export type HostDeclarationResult = { ok: true; host: string } | { ok: false; message: string };

/**
 * Reads a host a platform says it serves: a host name (`Example.COM`, `bücher.example`) or a wildcard for the
 * hosts below a domain (`*.cdn.example.com`). Lower-cased and IDNA-encoded (`xn--bcher-kva.example`) the way a
 * browser's address bar, and core's match, see it; a trailing dot is dropped. Addresses (IPs), ports, paths,
 * schemes and single-label names are refused with what to send instead: a declaration names a site, and a
 * host like `com` or `*.com` would claim everyone's.
 */
export function readHostDeclaration(raw: string): HostDeclarationResult {
  const text = raw.trim();
  if (text === '') return { ok: false, message: `Declare a host name (${EXAMPLE}).` };
  if (/[/:@?#%\\\s[\]]/.test(text)) return { ok: false, message: `Declare a host name only, without scheme, port, path or address brackets (${EXAMPLE}); got "${text.slice(0, 100)}".` };
  const wildcard = text.startsWith('*.');
  const name = (wildcard ? text.slice(2) : text).replace(/\.$/, '');
  if (name.includes('*')) return { ok: false, message: `A wildcard stands alone at the start, as in *.cdn.example.com; got "${text.slice(0, 100)}".` };
  if (isIP(name) !== 0) return { ok: false, message: `Declare host names, not IP addresses; got "${text.slice(0, 100)}".` };
  const ascii = domainToASCII(name);
  if (ascii === '' || ascii.length > 253) return { ok: false, message: `"${text.slice(0, 100)}" is not a valid host name (${EXAMPLE}).` };
  const labels = ascii.split('.');
  if (!labels.every((label) => LABEL.test(label))) return { ok: false, message: `"${text.slice(0, 100)}" is not a valid host name: letters, digits and hyphens between dots (${EXAMPLE}).` };
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return { ok: false, message: `Declare host names, not IP addresses; got "${text.slice(0, 100)}".` };
  if (labels.length < 2) {
    return { ok: false, message: `"${text.slice(0, 100)}" covers ${wildcard ? 'a whole top-level domain' : 'no site on the web'}: declare a full host name (${EXAMPLE}).` };
  }
  return { ok: true, host: wildcard ? `*.${ascii}` : ascii };
}

/** The host of an address as declarations are matched against it; undefined when it has none (or is not a URL). */
export function hostOfUrl(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.replace(/\.$/, '');
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}
