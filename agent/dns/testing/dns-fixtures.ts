/** Test fixtures: a small cluster's Services and EndpointSlices in a CacheDnsView. */
import { IndexedCache } from '../../../control/client/cache.js';
import { CacheDnsView, addDnsIndexes } from '../dns-view.js';
import type { ServiceObj, SliceObj } from '../dns-view.js';

const svc = (ns: string, name: string, spec: ServiceObj['spec']): ServiceObj => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec });

export const FIXTURE_SERVICES: ServiceObj[] = [
  svc('default', 'myapp-service', { clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
  svc('default', 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
  svc('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
  svc('default', 'lonely', { clusterIP: 'None', ports: [{ name: 'x', port: 1 }] }),
  svc('kube-system', 'kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }),
];

export const FIXTURE_SLICES: SliceObj[] = [
  {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { namespace: 'default', name: 'db-abc', labels: { 'kubernetes.io/service-name': 'db' } },
    ports: [{ name: 'pg', port: 5433, protocol: 'TCP' }],
    endpoints: [
      { addresses: ['10.244.1.5'], hostname: 'db-0', conditions: { ready: true } },
      { addresses: ['10.244.2.6'], conditions: { ready: true } },
      { addresses: ['10.244.3.7'], conditions: { ready: false } },
    ],
  },
  {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { namespace: 'default', name: 'myapp-xyz', labels: { 'kubernetes.io/service-name': 'myapp-service' } },
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.244.1.9'], conditions: { ready: true } }],
  },
];

export function fixtureView(services = FIXTURE_SERVICES, slices = FIXTURE_SLICES): CacheDnsView {
  const s = new IndexedCache<ServiceObj>();
  const e = new IndexedCache<SliceObj>();
  addDnsIndexes(s, e);
  for (const o of services) s.upsert(o);
  for (const o of slices) e.upsert(o);
  return new CacheDnsView({ services: s, slices: e });
}
