/**
 * PURE renderer: ProxyState + RenderOptions -> one `iptables-restore --noflush` payload
 * ("*filter … COMMIT\n*nat … COMMIT\n"), kube-proxy's iptables layout with the TK- prefix.
 * Every chain is declared before any rule (a declaration flushes the chain under --noflush);
 * stale chains are declared too and deleted with -X at the very end, after every chain that
 * referenced them was rewritten (docs/netns-cluster.md gotcha 12). renderTables gives the same
 * rules per chain, so the proxier can leave unchanged top-level chains out of a partial sync.
 */
import {
  EXTERNAL_SERVICES_CHAIN, FIREWALL_CHAIN, FORWARD_CHAIN, MARK_MASQ_CHAIN,
  NODEPORTS_CHAIN, POSTROUTING_CHAIN, SERVICES_CHAIN, nodePortRangeChainName,
} from './chains.js';
import { q, writeServicePort } from './service-rules.js';
import type { NodePortEntry, RuleSink } from './service-rules.js';
import type { ProxyState, RenderOptions, ServicePort, Table } from './types.js';

export { serviceChainsOf } from './service-rules.js';

const REJECT = '-j REJECT --reject-with icmp-port-unreachable';
/** Above this many endpoints, per-endpoint rules carry no comment (kube-proxy's large-cluster mode: ~40% less to restore). */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

/** Rules per chain, in payload order; top-level chains first, then per-service chains (nat). */
export interface RenderedTables {
  filter: Map<string, string[]>;
  nat: Map<string, string[]>;
  /** nat chains to declare and delete at the end. */
  stale: string[];
}

/**
 * Above this many NodePort rules, TK-NODEPORTS dispatches on port ranges (one rule per protocol
 * and 100 ports: 30000:30099, …) into TK-NODEPORTS-<PROTO>-<first port> chains, so a NodePort
 * packet crosses ~100 rules instead of up to 2 per NodePort service (what iptables cannot do with
 * a map, a two-level dispatch does). Small clusters keep kube-proxy's flat TK-NODEPORTS.
 */
export const NODEPORT_RANGE_ABOVE = 64;
export const NODEPORT_RANGE_WIDTH = 100;

/** TK-NODEPORTS and, when there are many NodePorts, its range chains (name -> rules, in order). */
function nodePortChains(entries: readonly NodePortEntry[]): Map<string, string[]> {
  const count = entries.reduce((n, e) => n + e.rules.length, 0);
  if (count <= NODEPORT_RANGE_ABOVE) return new Map([[NODEPORTS_CHAIN, entries.flatMap((e) => e.rules.map((r) => `-A ${NODEPORTS_CHAIN} ${r}`))]]);
  const ranges = new Map<string, { protocol: string; first: number; rules: string[] }>();
  for (const e of entries) {
    const first = e.port - (e.port % NODEPORT_RANGE_WIDTH);
    const name = nodePortRangeChainName(e.protocol, first);
    const range = ranges.get(name) ?? { protocol: e.protocol, first, rules: [] };
    range.rules.push(...e.rules.map((r) => `-A ${name} ${r}`));
    ranges.set(name, range);
  }
  const sorted = [...ranges].sort(([, a], [, b]) => (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : a.first - b.first));
  const out = new Map<string, string[]>([[NODEPORTS_CHAIN, sorted.map(([name, r]) =>
    `-A ${NODEPORTS_CHAIN} -m ${r.protocol} -p ${r.protocol} --dport ${r.first}:${r.first + NODEPORT_RANGE_WIDTH - 1} -j ${name}`)]]);
  for (const [name, r] of sorted) out.set(name, r.rules);
  return out;
}

const sortKey = (sp: ServicePort): string => `${sp.name}\u0000${sp.protocol}`;

/** Service ports in a stable order (so payloads and golden files are deterministic). */
export function sortedServicePorts(state: ProxyState): ServicePort[] {
  return [...state.servicePorts].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

const only = (rules: readonly string[], chain: string) => rules.filter((r) => r.startsWith(`-A ${chain} `));

export function renderTables(state: ProxyState, opts: RenderOptions): RenderedTables {
  const mark = opts.masqueradeMark;
  const endpoints = state.servicePorts.reduce((n, sp) => n + sp.endpoints.length, 0);
  const sink: RuleSink = { filter: [], nat: [], chains: new Map(), comments: endpoints <= LARGE_CLUSTER_ENDPOINTS, nodePorts: [] };
  const include = (chain: string) => opts.onlyChains === undefined || opts.onlyChains.has(chain);
  for (const sp of sortedServicePorts(state)) writeServicePort(sp, opts, sink, include);

  const filter = new Map<string, string[]>();
  const services = only(sink.filter, SERVICES_CHAIN);
  if (opts.serviceCIDR) {
    // catch-all: nothing for the service CIDR is ever forwarded out, unallocated ClusterIPs fail
    // fast; addresses configured on this node (e.g. a local DNS listener) are left alone
    services.push(`-A ${SERVICES_CHAIN} -m comment --comment ${q('unallocated ClusterIP')} -m addrtype ! --dst-type LOCAL -d ${opts.serviceCIDR} ${REJECT}`);
  }
  filter.set(SERVICES_CHAIN, services);
  filter.set(EXTERNAL_SERVICES_CHAIN, only(sink.filter, EXTERNAL_SERVICES_CHAIN));
  filter.set(FORWARD_CHAIN, [
    `-A ${FORWARD_CHAIN} -m conntrack --ctstate INVALID -j DROP`,
    `-A ${FORWARD_CHAIN} -m comment --comment ${q('tinykube forwarding rules')} -m mark --mark ${mark}/${mark} -j ACCEPT`,
    `-A ${FORWARD_CHAIN} -m comment --comment ${q('tinykube forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  ]);
  filter.set(FIREWALL_CHAIN, [
    `-A ${FIREWALL_CHAIN} -m comment --comment ${q('block incoming localnet connections')} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
  ]);

  const nat = new Map<string, string[]>();
  nat.set(SERVICES_CHAIN, [
    ...only(sink.nat, SERVICES_CHAIN),
    `-A ${SERVICES_CHAIN} -m comment --comment ${q('tinykube service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j ${NODEPORTS_CHAIN}`,
  ]);
  for (const [c, rules] of nodePortChains(sink.nodePorts)) nat.set(c, rules);
  nat.set(POSTROUTING_CHAIN, [
    `-A ${POSTROUTING_CHAIN} -m mark ! --mark ${mark}/${mark} -j RETURN`,
    `-A ${POSTROUTING_CHAIN} -j MARK --xor-mark ${mark}`,
    `-A ${POSTROUTING_CHAIN} -m comment --comment ${q('tinykube service traffic requiring SNAT')} -j MASQUERADE --random-fully`,
  ]);
  nat.set(MARK_MASQ_CHAIN, [`-A ${MARK_MASQ_CHAIN} -j MARK --or-mark ${mark}`]);
  for (const [c, rules] of sink.chains) nat.set(c, rules);
  const stale = [...new Set(opts.staleChains ?? [])].filter((c) => !nat.has(c));
  return { filter, nat, stale };
}

/**
 * The payload; `omit` names top-level chains ("table/chain") to leave out (unchanged since the last
 * sync). A table with nothing to write is left out too: iptables-nft-restore would still load it.
 */
export function serializeTables(t: RenderedTables, omit: ReadonlySet<string> = new Set()): string {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const satisfies readonly Table[]) {
    const chains = [...t[table]].filter(([c]) => !omit.has(`${table}/${c}`));
    const stale = table === 'nat' ? t.stale : [];
    if (chains.length === 0 && stale.length === 0) continue;
    out.push(`*${table}`);
    for (const [c] of chains) out.push(`:${c} - [0:0]`);
    for (const c of stale) out.push(`:${c} - [0:0]`);
    for (const [, rules] of chains) out.push(...rules);
    for (const c of stale) out.push(`-X ${c}`);
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}

export function renderRules(state: ProxyState, opts: RenderOptions): string {
  return serializeTables(renderTables(state, opts));
}
