import { isIPv4 } from 'node:net';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { clientKeyOf } from './client-key.js';

describe('clientKeyOf', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::FFFF:127.0.0.1', '127.0.0.1'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3:8d3::/64'],
    ['2001:db8:85a3:8d3::1', '2001:db8:85a3:8d3::/64'],
    ['2001:0db8:0000:0001::1', '2001:db8:0:1::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b:1:2::198.51.100.7', '64:ff9b:1:2::/64'],
    // Not dotted quads: no IPv4 key of their own (nor an IPv6 one), filed as written.
    ['127.1', '127.1'],
    ['0x7f000001', '0x7f000001'],
    ['010.0.0.1', '010.0.0.1'],
    [undefined, 'unknown'],
  ])('%s → %s', (ip, key) => {
    expect(clientKeyOf(ip)).toBe(key);
  });

  it("reads as IPv4 exactly the strings ipaddr.js's dotted-quad check reads (the check it replaced)", () => {
    for (const ip of [
      '1.2.3.4',
      '0.0.0.0',
      '255.255.255.255',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3.04',
      '1.2.3',
      '1.2.3.4.5',
      '1..3.4',
      ' 1.2.3.4',
      '1.2.3.4 ',
      '1.2.3.-1',
      '127.1',
      '4294967295',
      '0x7f000001',
      '1.2.3.4%eth0',
      '::ffff:1.2.3.4',
      '',
    ]) {
      expect(isIPv4(ip), JSON.stringify(ip)).toBe(ipaddr.IPv4.isValidFourPartDecimal(ip));
    }
  });

  it('gives every address of one /64 the same key, and the next /64 another', () => {
    expect(clientKeyOf('2001:db8:1:2:aaaa::1')).toBe(clientKeyOf('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(clientKeyOf('2001:db8:1:2::1')).not.toBe(clientKeyOf('2001:db8:1:3::1'));
  });
});
