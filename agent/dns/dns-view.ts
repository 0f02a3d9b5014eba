/**
 * What the resolver reads: Services and EndpointSlices, by name and by address. `CacheDnsView`
 * reads the informers' caches (never mutating them); tests hand it caches filled by hand.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../../control/api/object.js';
import type { IndexedCache } from '../../control/client/cache.js';

export type ServiceObj = Service & KubeObject;
export type SliceObj = EndpointSlice & KubeObject;

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const BY_SERVICE = 'dns-service';
const BY_IP = 'dns-ip';

export interface DnsView {
  service(ns: string, name: string): Service | undefined;
  /** The EndpointSlices of a service. */
  slices(ns: string, name: string): EndpointSlice[];
  /** Whether any Service lives in the namespace. */
  hasNamespace(ns: string): boolean;
  /** Services whose ClusterIP is `ip`. */
  servicesByIP(ip: string): Service[];
  /** EndpointSlices holding an endpoint with address `ip`. */
  slicesByIP(ip: string): EndpointSlice[];
}

/** Adds the indexes CacheDnsView needs; call before the informers start. */
export function addDnsIndexes(services: { addIndex(name: string, fn: (o: ServiceObj) => string[]): void },
  slices: { addIndex(name: string, fn: (o: SliceObj) => string[]): void }): void {
  services.addIndex(BY_IP, (s) => [...new Set([s.spec?.clusterIP, ...(s.spec?.clusterIPs ?? [])].filter((x): x is string => !!x && x !== 'None'))]);
  slices.addIndex(BY_SERVICE, (s) => {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    return svc ? [`${s.metadata?.namespace ?? ''}/${svc}`] : [];
  });
  slices.addIndex(BY_IP, (s) => [...new Set((s.endpoints ?? []).flatMap((e) => e.addresses))]);
}

export class CacheDnsView implements DnsView {
  constructor(private readonly c: { services: Pick<IndexedCache<ServiceObj>, 'get' | 'list' | 'byIndex'>; slices: Pick<IndexedCache<SliceObj>, 'byIndex'> }) {}

  service(ns: string, name: string): Service | undefined { return this.c.services.get(`${ns}/${name}`); }
  slices(ns: string, name: string): EndpointSlice[] { return this.c.slices.byIndex(BY_SERVICE, `${ns}/${name}`); }
  hasNamespace(ns: string): boolean { return this.c.services.list(ns).length > 0; }
  servicesByIP(ip: string): Service[] { return this.c.services.byIndex(BY_IP, ip); }
  slicesByIP(ip: string): EndpointSlice[] { return this.c.slices.byIndex(BY_IP, ip); }
}
