/**
 * The network a client's address stands for when guesses are counted: an IPv4 address itself, an IPv6 address
 * by its first 56 bits (one home or office line gets a /56 or a /64; counting single IPv6 addresses would give
 * each caller 2^64 fresh counters). IPv4-mapped IPv6 addresses count as their IPv4 address.
 * @example
 * clientNetwork('2001:db8:1:2:3::4') // '2001:0db8:0001:02/56'
 */
export function clientNetwork(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  const groups = expandIpv6(address.replace(/%.*$/, ''));
  if (!groups) return address;
  return `${groups.slice(0, 3).join(':')}:${groups[3].slice(0, 2)}/56`;
}

/** The eight four-digit groups of an IPv6 address, or undefined when it is not one. */
function expandIpv6(address: string): string[] | undefined {
  const halves = address.toLowerCase().split('::');
  if (halves.length > 2) return undefined;
  const split = (part: string) => (part === '' ? [] : part.split(':'));
  const head = split(halves[0]);
  const tail = halves.length === 2 ? split(halves[1]) : [];
  // A trailing IPv4 part (::ffff:1.2.3.4 was handled; others such as 64:ff9b::1.2.3.4 keep their first groups).
  const last = tail.length > 0 ? tail : head;
  if (last.length > 0 && last[last.length - 1].includes('.')) last.splice(-1, 1, '0', '0');
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => group.padStart(4, '0'));
}
