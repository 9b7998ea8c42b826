import { isIPv4 } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The key a client's buckets are filed under, from its IP address (`request.ip`: the
 * socket's peer, or with TRUST_PROXY_HOPS the address that many proxies back in
 * X-Forwarded-For). An IPv4 address is its own key (an IPv4-mapped IPv6 one too);
 * an IPv6 address is keyed by its /64, the block one subscriber usually gets — per full
 * address, a client could take a fresh budget from each of its 2^64 addresses. Parsed by
 * ipaddr.js (the parser Fastify's proxy-addr uses): `::`, embedded IPv4 tails and zone ids.
 */
export function clientKeyOf(ip: string | undefined): string {
  if (!ip) return 'unknown';
  // Only dotted quads (ipaddr.js's IPv4 parser also reads `127.1` and `0x7f000001`):
  // node's own check takes the same strings as ipaddr.IPv4.isValidFourPartDecimal at a
  // tenth of its cost, and this runs on every rate-limited request.
  if (isIPv4(ip)) return ip;
  if (!ipaddr.IPv6.isValid(ip)) return ip;
  const address = ipaddr.IPv6.parse(ip);
  if (address.isIPv4MappedAddress()) return address.toIPv4Address().toString();
  // The first four groups, in hex without leading zeros (`2001:db8::1` → `2001:db8:0:0::/64`).
  return `${address.parts
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
