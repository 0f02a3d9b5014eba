import { describe, expect, it } from 'vitest';
import { CidrSet } from './cidr-set.js';

describe('CidrSet', () => {
  it('hands out distinct /24s in order and wraps around to freed ones', () => {
    const s = new CidrSet({ clusterCidr: '10.244.0.0/22' });
    expect(s.size).toBe(4);
    expect([s.allocateNext(), s.allocateNext(), s.allocateNext()]).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    s.release('10.244.1.0/24');
    expect(s.allocateNext()).toBe('10.244.3.0/24');
    expect(s.allocateNext()).toBe('10.244.1.0/24');
    expect(s.allocateNext()).toBeUndefined();
  });

  it('occupies existing subnets and refuses foreign ones', () => {
    const s = new CidrSet({ clusterCidr: '10.244.0.0/16' });
    expect(s.occupy('10.244.0.0/24')).toBe(true);
    expect(s.occupy('10.245.0.0/24')).toBe(false);
    expect(s.occupy('10.244.0.0/25')).toBe(false);
    expect(s.allocateNext()).toBe('10.244.1.0/24');
    expect(() => new CidrSet({ clusterCidr: '10.0.0.0/25' })).toThrow(/mask size/);
    expect(() => new CidrSet({ clusterCidr: 'bogus' })).toThrow(/not an IPv4 CIDR/);
  });
});
