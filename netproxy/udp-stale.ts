/**
 * PURE: which UDP conntrack entries a sync makes stale (kube-proxy's CleanStaleEntries). UDP flows
 * have no end, so after an endpoint goes away its entries must be deleted or clients keep sending
 * to it; and a service that gains its first endpoint must lose the entries its REJECT created.
 */
import type { ConntrackFilter, ServicePort } from './types.js';

export const servicePortKey = (sp: ServicePort): string => `${sp.name}/${sp.protocol}`;

const readyIps = (sp: ServicePort | undefined): Set<string> => new Set((sp?.endpoints ?? []).filter((e) => e.ready).map((e) => e.ip));

/** Every "original destination" of a service port: ClusterIP, external and load-balancer IPs. */
function frontIps(sp: ServicePort): string[] {
  return [...(sp.clusterIP ? [sp.clusterIP] : []), ...sp.externalIPs, ...sp.loadBalancerIPs];
}

export function staleUdpFlows(prev: ReadonlyMap<string, ServicePort>, next: ReadonlyMap<string, ServicePort>): ConntrackFilter[] {
  const out: ConntrackFilter[] = [];
  const seen = new Set<string>();
  const add = (f: ConntrackFilter) => {
    const k = JSON.stringify(f);
    if (!seen.has(k)) { seen.add(k); out.push(f); }
  };
  for (const [key, old] of prev) {
    if (old.protocol !== 'UDP') continue;
    const now = readyIps(next.get(key));
    for (const ip of readyIps(old)) {
      if (now.has(ip)) continue;
      for (const dst of frontIps(old)) add({ protocol: 'udp', origDst: dst, dstNat: ip });
      if (old.nodePort !== undefined) add({ protocol: 'udp', origPortDst: old.nodePort, dstNat: ip });
    }
  }
  for (const [key, sp] of next) {
    if (sp.protocol !== 'UDP' || readyIps(sp).size === 0 || readyIps(prev.get(key)).size > 0) continue;
    for (const dst of frontIps(sp)) add({ protocol: 'udp', origDst: dst });
    if (sp.nodePort !== undefined) add({ protocol: 'udp', origPortDst: sp.nodePort });
  }
  return out;
}
