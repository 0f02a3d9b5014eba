import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide } from './columns.js';
import { NONE, formatLabels, joinHostPort, listWithMore } from './cell-format.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';
import type { PrintContext } from './printer.js';
import type { TableCell } from './table.js';

/** upstream printService, printEndpoints and printEndpointSlice. */

const MAX_LISTED = 3;

/** makePortString: "80/TCP", or "80:30008/TCP" with a node port; comma-joined. */
export function servicePorts(svc: Service): string {
  return (svc.spec?.ports ?? [])
    .map((p) => {
      const proto = p.protocol ?? 'TCP';
      return p.nodePort ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
    })
    .join(',');
}

/** getServiceExternalIP with wide=true (the server never clips load-balancer addresses). */
export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : NONE;
    case 'LoadBalancer': {
      const ingress = new Set<string>();
      for (const i of svc.status?.loadBalancer?.ingress ?? []) {
        if (i.ip) ingress.add(i.ip);
        else if (i.hostname) ingress.add(i.hostname);
      }
      const lb = [...ingress].sort();
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function serviceRow(svc: Service, ctx: PrintContext): TableCell[] {
  const clusterIP = svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP;
  return [
    svc.metadata?.name ?? '',
    svc.spec?.type ?? 'ClusterIP',
    clusterIP || NONE,
    serviceExternalIP(svc),
    servicePorts(svc) || NONE,
    sinceTimestamp(svc.metadata?.creationTimestamp, ctx.now),
    formatLabels(svc.spec?.selector),
  ];
}

/** formatEndpoints: up to three "ip:port" (or bare ip for port-less subsets), then " + N more...". */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return NONE;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) if (list.length < MAX_LISTED) list.push(a.ip);
      continue;
    }
    for (const port of ss.ports) {
      count += addrs.length;
      for (const a of addrs) if (list.length < MAX_LISTED) list.push(joinHostPort(a.ip, port.port));
    }
  }
  const joined = list.join(',');
  return count > MAX_LISTED ? `${joined} + ${count - MAX_LISTED} more...` : joined;
}

function endpointSlicePorts(slice: EndpointSlice): string {
  const ports = slice.ports ?? [];
  const list = ports.slice(0, MAX_LISTED).map((p) => (p.port !== undefined ? String(p.port) : p.name ?? '*'));
  return listWithMore(list, ports.length, MAX_LISTED);
}

function endpointSliceEndpoints(slice: EndpointSlice): string {
  const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
  return listWithMore(addresses.slice(0, MAX_LISTED), addresses.length, MAX_LISTED);
}

export const servicePrinter = definePrinter<Service>([
  NAME_COLUMN,
  column('Type', 'string', 'type determines how the Service is exposed.'),
  column('Cluster-IP', 'string', 'clusterIP is the IP address of the service.'),
  column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
  column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
  AGE_COLUMN,
  wide('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.'),
], serviceRow);

export const endpointsPrinter = definePrinter<Endpoints>([
  NAME_COLUMN,
  column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
  AGE_COLUMN,
], (ep, ctx) => [ep.metadata?.name ?? '', formatEndpoints(ep), sinceTimestamp(ep.metadata?.creationTimestamp, ctx.now)]);

export const endpointSlicePrinter = definePrinter<EndpointSlice>([
  NAME_COLUMN,
  column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
  column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
  column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
  AGE_COLUMN,
], (s, ctx) => [
  s.metadata?.name ?? '',
  s.addressType ?? '',
  endpointSlicePorts(s),
  endpointSliceEndpoints(s),
  sinceTimestamp(s.metadata?.creationTimestamp, ctx.now),
]);
