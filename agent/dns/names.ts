/**
 * PURE. Classifies a query name against the cluster zone (the Kubernetes DNS spec's forms):
 *   <svc>.<ns>.svc.<zone>                  service
 *   <host>.<svc>.<ns>.svc.<zone>           one endpoint of a headless service (hostname or a-b-c-d)
 *   _<port>._<proto>.<svc>.<ns>.svc.<zone> SRV of a named port
 *   <a-b-c-d>.<ns>.pod.<zone>              pod A record
 *   <d>.<c>.<b>.<a>.in-addr.arpa           reverse (PTR) lookup
 * Names are compared lowercased, without the trailing dot.
 */
import { isIPv4 } from '../../control/util/ipv4.js';

export type ClusterName =
  | { kind: 'outside' }
  /** The zone, svc.<zone> or pod.<zone>: exist, hold no records of their own but SOA/NS at the apex. */
  | { kind: 'apex'; zoneApex: boolean }
  | { kind: 'namespace'; ns: string }
  | { kind: 'service'; ns: string; svc: string }
  | { kind: 'endpoint'; ns: string; svc: string; host: string }
  | { kind: 'srv'; ns: string; svc: string; port: string; proto: string }
  | { kind: 'pod'; ns: string; ip: string }
  | { kind: 'reverse'; ip: string }
  /** Inside the zone but of no known form: NXDOMAIN. */
  | { kind: 'unknown' };

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.+$/, '');
}

export function parseClusterName(qname: string, zone: string): ClusterName {
  const name = normalizeName(qname);
  const z = normalizeName(zone);
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    const ip = [...parts].reverse().join('.');
    return parts.length === 4 && isIPv4(ip) ? { kind: 'reverse', ip } : { kind: 'outside' };
  }
  if (name === z) return { kind: 'apex', zoneApex: true };
  if (!name.endsWith(`.${z}`)) return { kind: 'outside' };
  const labels = name.slice(0, -(z.length + 1)).split('.');
  const type = labels.pop();
  const ns = labels.pop();
  if (type !== 'svc' && type !== 'pod') return { kind: 'unknown' };
  if (ns === undefined) return { kind: 'apex', zoneApex: false };
  if (labels.length === 0) return { kind: 'namespace', ns };
  if (type === 'pod') {
    const ip = labels[0]?.replace(/-/g, '.') ?? '';
    return labels.length === 1 && isIPv4(ip) ? { kind: 'pod', ns, ip } : { kind: 'unknown' };
  }
  const svc = labels.pop() ?? '';
  if (labels.length === 0) return { kind: 'service', ns, svc };
  if (labels.length === 1) return { kind: 'endpoint', ns, svc, host: labels[0] ?? '' };
  const [port = '', proto = ''] = labels;
  if (labels.length === 2 && port.startsWith('_') && proto.startsWith('_')) return { kind: 'srv', ns, svc, port: port.slice(1), proto: proto.slice(1) };
  return { kind: 'unknown' };
}

/** "10.244.1.5" → "10-244-1-5" (the endpoint/pod label for an address). */
export const dashed = (ip: string): string => ip.replace(/\./g, '-');
