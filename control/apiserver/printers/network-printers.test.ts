import { describe, expect, it } from 'vitest';
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from './kube-object.js';
import { endpointSlicePrinter, endpointsPrinter, formatEndpoints, serviceExternalIP, servicePorts, servicePrinter } from './network-printers.js';

const NOW = new Date('2024-01-01T12:00:00Z');
const asObj = (o: object): KubeObject => o as KubeObject;
const svc = (spec: Service['spec'], status?: Service['status']): Service =>
  ({ metadata: { name: 's', creationTimestamp: '2024-01-01T11:59:00Z' }, spec, ...(status ? { status } : {}) });

describe('service cells', () => {
  it('formats ports with node ports', () => {
    expect(servicePorts(svc({ ports: [{ port: 80, nodePort: 30008, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] })))
      .toBe('80:30008/TCP,443/TCP,53/UDP');
  });

  it.each<[string, Service, string]>([
    ['cluster ip', svc({ type: 'ClusterIP' }), '<none>'],
    ['cluster ip with external ips', svc({ type: 'ClusterIP', externalIPs: ['1.2.3.4', '5.6.7.8'] }), '1.2.3.4,5.6.7.8'],
    ['node port', svc({ type: 'NodePort' }), '<none>'],
    ['pending load balancer', svc({ type: 'LoadBalancer' }), '<pending>'],
    ['load balancer ingress', svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '9.9.9.9' }, { hostname: 'lb.example.com' }, { ip: '1.1.1.1' }] } }), '1.1.1.1,9.9.9.9,lb.example.com'],
    ['load balancer plus external ips', svc({ type: 'LoadBalancer', externalIPs: ['2.2.2.2'] }, { loadBalancer: { ingress: [{ ip: '9.9.9.9' }] } }), '9.9.9.9,2.2.2.2'],
    ['external name', svc({ type: 'ExternalName', externalName: 'db.example.com' }), 'db.example.com'],
  ])('external ip: %s', (_n, s, want) => {
    expect(serviceExternalIP(s)).toBe(want);
  });

  it('prints a row', () => {
    const s = svc({ type: 'NodePort', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30008, protocol: 'TCP' }], selector: { app: 'web' } });
    expect(servicePrinter.row(asObj(s), { now: NOW }).cells).toEqual(['s', 'NodePort', '10.96.0.10', '<none>', '80:30008/TCP', '60s', 'app=web']);
  });

  it('prints <none> for no ports, no cluster IP and no selector', () => {
    expect(servicePrinter.row(asObj(svc({ type: 'ClusterIP' })), { now: NOW }).cells).toEqual(['s', 'ClusterIP', '<none>', '<none>', '<none>', '60s', '<none>']);
    expect(servicePrinter.row(asObj(svc({ clusterIP: 'None' })), { now: NOW }).cells[2]).toBe('None');
  });
});

describe('endpoints', () => {
  const ep = (subsets: Endpoints['subsets']): Endpoints => ({ metadata: { name: 'e' }, ...(subsets ? { subsets } : {}) });
  it.each<[string, Endpoints, string]>([
    ['no subsets', ep(undefined), '<none>'],
    ['two', ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }] }]), '10.0.0.1:80,10.0.0.2:80'],
    ['more than three', ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }]), '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...'],
    ['headless without ports', ep([{ addresses: [{ ip: '10.0.0.1' }] }]), '10.0.0.1'],
    ['ipv6', ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]), '[fd00::1]:80'],
    ['only not-ready addresses', ep([{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]), ''],
  ])('%s', (_n, e, want) => {
    expect(formatEndpoints(e)).toBe(want);
  });
  it('prints a row', () => {
    expect(endpointsPrinter.row(asObj(ep(undefined)), { now: NOW }).cells).toEqual(['e', '<none>', '<unknown>']);
  });
});

describe('endpointSlicePrinter', () => {
  it('prints address type, ports and endpoints', () => {
    const s: EndpointSlice = {
      metadata: { name: 'web-abc', creationTimestamp: '2024-01-01T11:00:00Z' },
      addressType: 'IPv4',
      ports: [{ port: 80 }, { name: 'metrics' }, {}, { port: 9090 }],
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }],
    };
    expect(endpointSlicePrinter.row(asObj(s), { now: NOW }).cells).toEqual(['web-abc', 'IPv4', '80,metrics,* + 1 more...', '10.0.0.1,10.0.0.2', '60m']);
  });
  it('prints <unset> when empty', () => {
    const s: EndpointSlice = { metadata: { name: 'x' }, addressType: 'IPv4', endpoints: [] };
    expect(endpointSlicePrinter.row(asObj(s), { now: NOW }).cells.slice(2, 4)).toEqual(['<unset>', '<unset>']);
  });
});
