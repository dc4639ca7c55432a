import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses the server may connect to on a partner's behalf (webhooks, fetching by URL). Pure: no
 * name resolution here (outbound-guard.ts resolves, then asks this module about every address it got).
 *
 * Only global unicast passes. Everything else reaches this machine, the operator's network or something that
 * is not a host: loopback, private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, fe80::/10, which holds
 * the cloud metadata service at 169.254.169.254), unique-local (fc00::/7, AWS's fd00:ec2::254), carrier-grade
 * NAT (100.64/10), multicast, broadcast, unspecified, documentation and other reserved blocks. IPv6 forms that
 * carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d is judged by the IPv4 address inside; NAT64, 6to4 and Teredo,
 * whose inner address the server cannot check, are refused).
 */
export type AddressVerdict = { permitted: true } | { permitted: false; range: string };

/** An operator's exceptions: host names (exact, any case) and addresses or CIDR ranges. */
export interface AllowList {
  hosts: ReadonlySet<string>;
  ranges: readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[];
}

export const EMPTY_ALLOW_LIST: AllowList = { hosts: new Set(), ranges: [] };

/** Names of the ranges, in the words the refusal uses. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (this includes cloud metadata services)',
  loopback: 'a loopback address (this machine)',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private network address',
  uniqueLocal: 'a unique-local IPv6 address (a private network; this includes cloud metadata services)',
  reserved: 'a reserved address',
  rfc6052: 'a NAT64 address',
  rfc6145: 'an IPv4-translated address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
};

/** Parses an address as written in a URL host or returned by the resolver (IPv6 without brackets). */
function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : undefined;
}

/** Whether an address may be connected to (see the module comment), with the range that refuses it. */
export function classifyAddress(address: string): AddressVerdict {
  let parsed = parse(address);
  if (!parsed) return { permitted: false, range: 'not an IP address' };
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === 'unicast') return { permitted: true };
  return { permitted: false, range: RANGE_NAMES[range] ?? `a special-purpose address (${range})` };
}

/** Whether the operator's allow-list names this host or covers this address. */
export function isAllowListed(allowList: AllowList, host: string, address?: string): boolean {
  if (allowList.hosts.has(host.toLowerCase().replace(/^\[|\]$/g, ''))) return true;
  const parsed = address === undefined ? undefined : parse(address);
  if (!parsed) return false;
  const candidates = parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? [parsed, (parsed as ipaddr.IPv6).toIPv4Address()] : [parsed];
  return allowList.ranges.some(([network, bits]) => candidates.some((candidate) => candidate.kind() === network.kind() && candidate.match(network, bits)));
}

/**
 * Reads an allow-list written as comma-separated entries: host names, addresses and CIDR ranges
 * (`hooks.internal.example, 10.20.0.0/16, fd12::/48`). Returns the entries it could not read, by text.
 */
export function parseAllowList(entries: readonly string[]): { allowList: AllowList; bad: string[] } {
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  const bad: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry.includes('/')) {
      try {
        ranges.push(ipaddr.parseCIDR(entry));
      } catch {
        bad.push(raw.trim());
      }
    } else if (parse(entry)) {
      const address = parse(entry)!;
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)) {
      hosts.add(entry);
    } else {
      bad.push(raw.trim());
    }
  }
  return { allowList: { hosts, ranges }, bad };
}
