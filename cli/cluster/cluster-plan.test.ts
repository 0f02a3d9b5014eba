import { describe, expect, it } from 'vitest';
import { addressPrefixes, apiPortCandidates, parseNodeCount, planCluster, validateClusterName } from './cluster-plan.js';

describe('planCluster', () => {
  it('lays out cluster 3 with two nodes', () => {
    const p = planCluster({ name: 'dev', index: 3, nodes: 2, dataDir: '/d' });
    expect(p).toMatchObject({
      lanNetns: 'tk-dev-lan', hostLink: 'tkdevh', lanCidr: '10.200.3.0/24', hostIP: '10.200.3.1',
      clusterCidr: '10.213.0.0/16', serviceCidr: '10.223.0.0/16', clusterDNS: '10.223.0.10',
    });
    expect(p.nodes).toEqual([
      { name: 'dev-n1', netns: 'tk-dev-n1', ip: '10.200.3.11', lanPort: 'n1', dataDir: '/d/nodes/dev-n1' },
      { name: 'dev-n2', netns: 'tk-dev-n2', ip: '10.200.3.12', lanPort: 'n2', dataDir: '/d/nodes/dev-n2' },
    ]);
  });

  it('keeps the host link within 15 characters for the longest name', () => {
    expect(planCluster({ name: validateClusterName('abcdefghijkl'), index: 9, nodes: 1, dataDir: '/d' }).hostLink).toHaveLength(15);
  });

  it('gives every index its own ranges, clear of up (10.244/16, 10.96/12) and Docker (172.16/12)', () => {
    const ranges = new Set<string>();
    for (let k = 1; k <= 9; k++) {
      const p = planCluster({ name: 'c', index: k, nodes: 1, dataDir: '/d' });
      for (const r of [p.lanCidr, p.clusterCidr, p.serviceCidr]) {
        expect(ranges.has(r)).toBe(false);
        ranges.add(r);
        const [a, b] = r.split('.').map(Number);
        expect(a).toBe(10);
        expect(b! >= 96 && b! <= 111).toBe(false);
        expect(b).not.toBe(244);
      }
    }
    expect(() => planCluster({ name: 'c', index: 10, nodes: 1, dataDir: '/d' })).toThrow(/out of range/);
  });

  it('validates names and node counts', () => {
    for (const bad of ['', 'Dev', '-a', 'a-', 'abcdefghijklm', 'a_b', 'a.b']) expect(() => validateClusterName(bad)).toThrow(/cluster name|required/);
    expect(() => validateClusterName(undefined)).toThrow('--name is required');
    expect(validateClusterName('tk-1')).toBe('tk-1');
    expect(parseNodeCount(undefined)).toBe(1);
    expect(parseNodeCount('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'x', '21']) expect(() => parseNodeCount(bad)).toThrow(/--nodes/);
  });

  it('names the address prefixes and API ports of an index', () => {
    expect(addressPrefixes(2)).toEqual(['10.200.2.', '10.212.', '10.222.']);
    expect(apiPortCandidates(2)).toEqual([6443, 16442]);
    expect(apiPortCandidates(2, 7000)).toEqual([7000]);
  });
});
