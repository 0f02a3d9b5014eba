/**
 * Packing endpoint addresses into subsets the upstream way (endpoints.RepackSubsets): every
 * (address, port) pair is collected, then addresses offering the same set of ports (with the same
 * readiness) share one subset. Output is sorted so equal inputs give equal objects.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset } from 'kubernetes-types/core/v1.js';

export interface AddressEntry { address: EndpointAddress; ready: boolean; ports: EndpointPort[] }

const addrKey = (a: EndpointAddress) => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort) => `${p.name ?? ''}/${p.port}/${p.protocol ?? 'TCP'}/${p.appProtocol ?? ''}`;

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  const ka = addrKey(a);
  const kb = addrKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Group entries into subsets: addresses sharing the same port set share a subset. */
export function packSubsets(entries: readonly AddressEntry[]): EndpointSubset[] {
  // port -> addresses (with readiness) offering it; a port-less address uses a sentinel
  const byPort = new Map<string, { port?: EndpointPort; addrs: Map<string, { address: EndpointAddress; ready: boolean }> }>();
  for (const e of entries) {
    const ports: Array<EndpointPort | undefined> = e.ports.length ? e.ports : [undefined];
    for (const p of ports) {
      const k = p ? portKey(p) : '';
      let slot = byPort.get(k);
      if (!slot) byPort.set(k, (slot = { ...(p ? { port: p } : {}), addrs: new Map() }));
      slot.addrs.set(addrKey(e.address), { address: e.address, ready: e.ready });
    }
  }
  // address set (with readiness) -> ports
  const groups = new Map<string, { addrs: Array<{ address: EndpointAddress; ready: boolean }>; ports: EndpointPort[] }>();
  for (const slot of byPort.values()) {
    const addrs = [...slot.addrs.values()].sort((a, b) => compareAddresses(a.address, b.address));
    const k = addrs.map((a) => `${addrKey(a.address)}:${a.ready ? 1 : 0}`).join(',');
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { addrs, ports: [] }));
    if (slot.port) g.ports.push(slot.port);
  }
  const subsets: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready = g.addrs.filter((a) => a.ready).map((a) => a.address);
    const notReady = g.addrs.filter((a) => !a.ready).map((a) => a.address);
    const ports = g.ports.sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
    subsets.push({
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ...(ports.length ? { ports } : {}),
    });
  }
  const first = (s: EndpointSubset) => addrKey(s.addresses?.[0] ?? s.notReadyAddresses?.[0] ?? { ip: '' }) + '|' + (s.ports ?? []).map(portKey).join(',');
  return subsets.sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
}
