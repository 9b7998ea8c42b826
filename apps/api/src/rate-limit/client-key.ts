import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key a client's buckets are filed under, from its IP address (`request.ip`: the
 * socket's peer, or with TRUST_PROXY_HOPS the address that many proxies back in
 * X-Forwarded-For). An IPv4 address is its own key (an IPv4-mapped IPv6 one too);
 * an IPv6 address is keyed by its /64, the block one subscriber usually gets — per full
 * address, a client could take a fresh budget from each of its 2^64 addresses.
 */
export function clientKeyOf(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const address = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${ipv6Prefix64(address)}::/64`;
  return address;
}

/** The first four groups of an IPv6 address, expanded (`2001:db8::1` → `2001:db8:0:0`). */
function ipv6Prefix64(address: string): string {
  const [head = '', tail] = address.toLowerCase().split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap(ipv4AsGroups) : []);
  const front = groups(head);
  const back = groups(tail);
  const middle = tail === undefined ? [] : Array.from({ length: 8 - front.length - back.length }, () => '0');
  return [...front, ...middle, ...back]
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':');
}

/** An embedded IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) as the two groups it stands for. */
function ipv4AsGroups(group: string): string[] {
  if (!group.includes('.')) return [group];
  const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
