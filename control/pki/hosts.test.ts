import { describe, expect, it } from 'vitest';
import { apiServerHosts, normalizeHosts, toGeneralNames } from './hosts.js';

describe('apiServerHosts', () => {
  it('always includes loopback, the kubernetes Service names and the first service IP', () => {
    expect(apiServerHosts({ hosts: ['192.168.1.10', 'localhost'] })).toEqual([
      '127.0.0.1',
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      '10.96.0.1',
      '192.168.1.10',
    ]);
  });

  it('follows serviceIP and clusterDomain', () => {
    const hosts = apiServerHosts({ hosts: [], serviceIP: '10.43.0.1', clusterDomain: 'corp.local' });
    expect(hosts).toContain('10.43.0.1');
    expect(hosts).toContain('kubernetes.default.svc.corp.local');
    expect(hosts).not.toContain('10.96.0.1');
  });
});

describe('normalizeHosts', () => {
  it.each([
    [['  Foo.Example.COM. '], ['foo.example.com']],
    [['[::1]', '::1'], ['::1']],
    [['*.apps.example.com'], ['*.apps.example.com']],
  ])('%j -> %j', (input, want) => {
    expect(normalizeHosts(input)).toEqual(want);
  });

  it.each(['', 'a b', 'http://x', 'bad..name', '-x.com'])('rejects %j', (h) => {
    expect(() => normalizeHosts([h])).toThrow(expect.objectContaining({ code: 'InvalidHost' }));
  });
});

describe('toGeneralNames', () => {
  it('types IPs and DNS names', () => {
    expect(toGeneralNames(['10.0.0.1', 'fd00::1', 'node-a'])).toEqual([
      { type: 'ip', value: '10.0.0.1' },
      { type: 'ip', value: 'fd00::1' },
      { type: 'dns', value: 'node-a' },
    ]);
  });
});
