import { describe, expect, it } from 'vitest';
import { formatIpv4, isIPv4, isIPv4Cidr, isIPv4Network, parseCidr, parseIpv4 } from './ipv4.js';

describe('strict IPv4', () => {
  it.each(['0.0.0.0', '10.96.0.1', '255.255.255.255', '192.168.1.10'])('accepts %j', (ip) => {
    expect(isIPv4(ip)).toBe(true);
    expect(formatIpv4(parseIpv4(ip) ?? -1)).toBe(ip);
  });

  it.each([
    '', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.04', '010.1.1.1', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.4\n',
    '1.2.3.4\n-A INPUT -j ACCEPT', '1.2.3.+4', '1.2.3.-4', '0x1.2.3.4', '1.2.3.4e0', '1..3.4', '::ffff:1.2.3.4',
    '1.2.3.4/32', '１.2.3.4', '1.2.3.٤',
  ])('refuses %j', (ip) => {
    expect(isIPv4(ip)).toBe(false);
    expect(parseIpv4(ip)).toBeUndefined();
  });

  it('parses CIDRs strictly; network form has no host bits', () => {
    expect(parseCidr('10.244.1.0/24')).toEqual({ addr: 0x0af40100, base: 0x0af40100, prefix: 24, size: 256 });
    expect(parseCidr('10.244.1.5/24')?.base).toBe(0x0af40100);
    expect(isIPv4Network('10.244.1.0/24')).toBe(true);
    expect(isIPv4Network('10.244.1.5/24')).toBe(false);
    expect(isIPv4Network('0.0.0.0/0')).toBe(true);
    for (const bad of ['10.0.0.0', '10.0.0.0/', '10.0.0.0/33', '10.0.0.0/024', '10.0.0.0/ 24', '10.0.0.0/24\n', '10.0.0.0/2x',
      '10.0.0.0/24/1', '10.00.0.0/24', '10.0.0.0/-1', '10.0.0.0/0x10']) {
      expect(isIPv4Cidr(bad), bad).toBe(false);
      expect(isIPv4Network(bad), bad).toBe(false);
    }
  });
});
