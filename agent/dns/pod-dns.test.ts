import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { podDnsConfig } from './pod-dns.js';

const pod = (spec: Partial<PodSpec>): Pod => ({ metadata: { namespace: 'shop', name: 'p' }, spec: { containers: [], ...spec } });
const CLUSTER = { servers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] };
const HOST = { servers: ['192.0.2.53'], searches: ['corp.example'], options: ['edns0'] };

describe('podDnsConfig', () => {
  it.each([
    ['ClusterFirst (default policy)', pod({}), { clusterDNS: '10.96.0.10' }, CLUSTER],
    ['ClusterFirst appends the host search domains', pod({}), { clusterDNS: '10.96.0.10', hostDNS: HOST },
      { ...CLUSTER, searches: [...CLUSTER.searches, 'corp.example'] }],
    ['ClusterFirst on hostNetwork falls back to Default', pod({ hostNetwork: true }), { clusterDNS: '10.96.0.10' }, undefined],
    ['ClusterFirstWithHostNet on hostNetwork', pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), { clusterDNS: '10.96.0.10' }, CLUSTER],
    ['ClusterFirst without a cluster DNS falls back to Default', pod({}), {}, undefined],
    ['Default keeps the runtime file', pod({ dnsPolicy: 'Default' }), { clusterDNS: '10.96.0.10' }, undefined],
    ['Default + dnsConfig builds on the host file', pod({ dnsPolicy: 'Default', dnsConfig: { nameservers: ['192.0.2.54'], options: [{ name: 'edns0' }, { name: 'ndots', value: '2' }] } }),
      { clusterDNS: '10.96.0.10', hostDNS: HOST }, { servers: ['192.0.2.53', '192.0.2.54'], searches: ['corp.example'], options: ['edns0', 'ndots:2'] }],
    ['None + dnsConfig is the dnsConfig alone', pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['a.example'], options: [{ name: 'ndots', value: '1' }] } }),
      { clusterDNS: '10.96.0.10' }, { servers: ['1.2.3.4'], searches: ['a.example'], options: ['ndots:1'] }],
    ['ClusterFirst + dnsConfig: appended, duplicates dropped, options merged by name', pod({ dnsConfig: {
      nameservers: ['10.96.0.10', '9.9.9.9'], searches: ['svc.cluster.local', 'extra.example'], options: [{ name: 'ndots', value: '2' }, { name: 'timeout', value: '1' }] } }),
    { clusterDNS: '10.96.0.10' }, { servers: ['10.96.0.10', '9.9.9.9'], searches: [...CLUSTER.searches, 'extra.example'], options: ['ndots:2', 'timeout:1'] }],
    ['at most 3 nameservers', pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] } }), {},
      { servers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'], searches: [], options: [] }],
  ])('%s', (_name, p, o, want) => {
    expect(podDnsConfig(p, o)).toEqual(want);
  });
});
