/**
 * The rules of one service port (kube-proxy's per-service part of syncProxyRules): its entries in
 * the top-level chains (TK-SERVICES, TK-NODEPORTS, filter REJECT/DROP) and its own chains
 * (TK-SVC, TK-SVL, TK-EXT, TK-SEP). PURE; render.ts assembles the payload.
 *
 * One departure from kube-proxy's layout, for restore time: a Cluster-policy service's external
 * entries (NodePort, LB and external IPs) are two rules in the top-level chain, "mark for
 * masquerade" then "jump to TK-SVC", instead of one jump to a TK-EXT chain holding those same two
 * rules. Same packets, same verdicts; 1,000 NodePort services make 1,000 chains fewer, and
 * iptables-nft-restore's cost grows with the number of chains (≈0.3 s of a 1.1 s full sync).
 * TK-EXT chains remain for externalTrafficPolicy Local, where the entry has real logic.
 */
import {
  EXTERNAL_SERVICES_CHAIN, MARK_MASQ_CHAIN, SERVICES_CHAIN,
  endpointChainName, externalChainName, serviceChainName, serviceLocalChainName,
} from './chains.js';
import { isRenderable } from './safe-values.js';
import type { ProxyEndpoint, RenderOptions, ServicePort } from './types.js';

export const DEFAULT_AFFINITY_SECONDS = 10800;
const REJECT = '-j REJECT --reject-with icmp-port-unreachable';

/** Where rules go: top-level lines per table, plus per-service chains (name -> rules). */
export interface RuleSink {
  filter: string[];
  nat: string[];
  /** Per-service nat chains in order of appearance; each chain's rules. */
  chains: Map<string, string[]>;
  /** Comment per-endpoint rules (false in large clusters, as kube-proxy does). */
  comments: boolean;
  /** NodePort entries (nat): render.ts puts them in TK-NODEPORTS, or in range chains when there are many. */
  nodePorts: NodePortEntry[];
}

/** One NodePort's nat rules, without the "-A <chain>" head. */
export interface NodePortEntry { protocol: string; port: number; rules: string[] }

export const q = (s: string): string => `"${s}"`;

/** What a service port uses, derived once. */
interface Plan {
  /** False when a value would not be written safely (safe-values.ts): the port gets no rules at all. */
  renderable: boolean;
  ready: ProxyEndpoint[];
  hasEndpoints: boolean;
  /** External entries exist and lead somewhere: via TK-EXT (policy Local) or straight to TK-SVC (Cluster). */
  external: 'ext' | 'svc' | undefined;
  usesSvl: boolean;
  externalNoEndpoints: 'REJECT' | 'DROP' | undefined;
}

const planMemo = new WeakMap<ServicePort, Plan>();

function plan(sp: ServicePort): Plan {
  let p = planMemo.get(sp);
  if (!p) { p = makePlan(sp); planMemo.set(sp, p); }
  return p;
}

function makePlan(sp: ServicePort): Plan {
  const ready = sp.endpoints.filter((e) => e.ready);
  const local = ready.filter((e) => e.local);
  const hasEndpoints = ready.length > 0;
  const policyLocal = sp.externalTrafficPolicy === 'Local';
  const hasExternalEndpoints = policyLocal ? local.length > 0 : hasEndpoints;
  const hasExternal = sp.nodePort !== undefined || sp.loadBalancerIPs.length > 0 || sp.externalIPs.length > 0;
  const external = !hasExternal || !hasExternalEndpoints ? undefined : policyLocal ? 'ext' : 'svc';
  return {
    renderable: isRenderable(sp), ready, hasEndpoints, external, usesSvl: external === 'ext',
    externalNoEndpoints: hasExternal && !hasExternalEndpoints ? (hasEndpoints ? 'DROP' : 'REJECT') : undefined,
  };
}

const epString = (e: ProxyEndpoint): string => `${e.ip}:${e.port}`;

/** The per-service nat chains a service port's rules use, in render order. */
export function serviceChainsOf(sp: ServicePort): string[] {
  const p = plan(sp);
  if (!p.renderable || !p.hasEndpoints) return [];
  const out = [serviceChainName(sp.name, sp.protocol)];
  if (p.usesSvl) out.push(serviceLocalChainName(sp.name, sp.protocol));
  if (p.external === 'ext') out.push(externalChainName(sp.name, sp.protocol));
  for (const e of p.ready) out.push(endpointChainName(sp.name, sp.protocol, epString(e)));
  return out;
}

/** Dispatch from a SVC/SVL chain to endpoint chains: affinity checks first, then random choice. */
function endpointDispatch(sp: ServicePort, eps: readonly ProxyEndpoint[], comments: boolean): string[] {
  const rules: string[] = [];
  const sep = (e: ProxyEndpoint) => endpointChainName(sp.name, sp.protocol, epString(e));
  const timeout = sp.affinityTimeoutSeconds ?? DEFAULT_AFFINITY_SECONDS;
  if (sp.sessionAffinity === 'ClientIP') {
    for (const e of eps) {
      const comment = comments ? `-m comment --comment ${q(`${sp.name} -> ${epString(e)}`)} ` : '';
      rules.push(`${comment}-m recent --name ${sep(e)} --rcheck --seconds ${timeout} --reap -j ${sep(e)}`);
    }
  }
  const n = eps.length;
  eps.forEach((e, i) => {
    const comment = comments ? `-m comment --comment ${q(`${sp.name} -> ${epString(e)}`)} ` : '';
    if (i < n - 1) rules.push(`${comment}-m statistic --mode random --probability ${(1 / (n - i)).toFixed(10)} -j ${sep(e)}`);
    else rules.push(`${comment}-j ${sep(e)}`);
  });
  return rules;
}

/** A service port's entries in the top-level chains; they depend on the service port only. */
interface TopLevel { filter: string[]; nat: string[]; nodePorts: NodePortEntry[] }

/**
 * Top-level entries per ServicePort object: a sync renders every service's entries to compare the
 * top-level chains, and most service ports are the same objects as last time (the state builder
 * reuses them), so this is a lookup. ServicePorts are never mutated.
 */
const topLevelMemo = new WeakMap<ServicePort, TopLevel>();

function topLevelRules(sp: ServicePort, p: Plan): TopLevel {
  const memo = topLevelMemo.get(sp);
  if (memo) return memo;
  const out: TopLevel = { filter: [], nat: [], nodePorts: [] };
  if (!p.renderable) { topLevelMemo.set(sp, out); return out; }
  const proto = sp.protocol.toLowerCase();
  const match = `-m ${proto} -p ${proto}`;
  const svc = serviceChainName(sp.name, sp.protocol);
  const ext = externalChainName(sp.name, sp.protocol);
  const noEp = `-m comment --comment ${q(`${sp.name} has no endpoints`)}`;
  /** The nat rules (no "-A <chain>" head) of one external entry, for packets matching `dst`, commented `what`. */
  const externalEntry = (what: string, dst: string): string[] => p.external === 'ext'
    ? [`-m comment --comment ${q(what)} ${dst} -j ${ext}`]
    : [`-m comment --comment ${q(`masquerade traffic for ${sp.name} external destinations`)} ${dst} -j ${MARK_MASQ_CHAIN}`,
      `-m comment --comment ${q(what)} ${dst} -j ${svc}`];

  // ClusterIP
  if (sp.clusterIP) {
    const dst = `${match} -d ${sp.clusterIP} --dport ${sp.port}`;
    if (p.hasEndpoints) out.nat.push(`-A ${SERVICES_CHAIN} -m comment --comment ${q(`${sp.name} cluster IP`)} ${dst} -j ${svc}`);
    else out.filter.push(`-A ${SERVICES_CHAIN} ${noEp} ${dst} ${REJECT}`);
  }

  // external entries: external IPs, load-balancer IPs, NodePort
  const extFilter = p.externalNoEndpoints === 'DROP'
    ? `-m comment --comment ${q(`${sp.name} has no local endpoints`)}`
    : noEp;
  const extVerdict = p.externalNoEndpoints === 'DROP' ? '-j DROP' : REJECT;
  const entries: Array<[string, readonly string[]]> = [['external IP', sp.externalIPs], ['loadbalancer IP', sp.loadBalancerIPs]];
  for (const [what, ips] of entries) {
    for (const ip of ips) {
      const dst = `${match} -d ${ip} --dport ${sp.port}`;
      if (p.external) out.nat.push(...externalEntry(`${sp.name} ${what}`, dst).map((r) => `-A ${SERVICES_CHAIN} ${r}`));
      else if (p.externalNoEndpoints) out.filter.push(`-A ${EXTERNAL_SERVICES_CHAIN} ${extFilter} ${dst} ${extVerdict}`);
    }
  }
  if (sp.nodePort !== undefined) {
    if (p.external) out.nodePorts.push({ protocol: proto, port: sp.nodePort, rules: externalEntry(sp.name, `${match} --dport ${sp.nodePort}`) });
    else if (p.externalNoEndpoints) out.filter.push(`-A ${EXTERNAL_SERVICES_CHAIN} ${extFilter} -m addrtype --dst-type LOCAL ${match} --dport ${sp.nodePort} ${extVerdict}`);
  }
  topLevelMemo.set(sp, out);
  return out;
}

/**
 * Appends one service port's rules to the sink. Its own chains are written all or none: when
 * `include` accepts its TK-SVC chain (a partial sync names every chain of a changed service).
 */
export function writeServicePort(sp: ServicePort, opts: RenderOptions, sink: RuleSink, include: (chain: string) => boolean): void {
  const p = plan(sp);
  const top = topLevelRules(sp, p);
  sink.filter.push(...top.filter);
  sink.nat.push(...top.nat);
  sink.nodePorts.push(...top.nodePorts);

  if (!p.renderable || !p.hasEndpoints) return;
  const svc = serviceChainName(sp.name, sp.protocol);
  if (!include(svc)) return;
  const proto = sp.protocol.toLowerCase();
  const match = `-m ${proto} -p ${proto}`;
  const svl = serviceLocalChainName(sp.name, sp.protocol);
  const ext = externalChainName(sp.name, sp.protocol);
  const chain = (name: string, rules: string[]) => { sink.chains.set(name, rules.map((r) => `-A ${name} ${r}`)); };

  // TK-SVC: masquerade off-cluster sources, then pick an endpoint
  chain(svc, [
    ...(sp.clusterIP && opts.clusterCIDR
      ? [`-m comment --comment ${q(`${sp.name} cluster IP`)} ${match} -d ${sp.clusterIP} --dport ${sp.port} ! -s ${opts.clusterCIDR} -j ${MARK_MASQ_CHAIN}`]
      : []),
    ...endpointDispatch(sp, p.ready, sink.comments),
  ]);

  // TK-SVL: local endpoints only (externalTrafficPolicy Local)
  if (p.usesSvl) chain(svl, endpointDispatch(sp, p.ready.filter((e) => e.local), sink.comments));

  // TK-EXT: external traffic entry of an externalTrafficPolicy Local service
  if (p.external === 'ext') chain(ext, [
    ...(opts.clusterCIDR ? [`-m comment --comment ${q(`pod traffic for ${sp.name} external destinations`)} -s ${opts.clusterCIDR} -j ${svc}`] : []),
    `-m comment --comment ${q(`masquerade LOCAL traffic for ${sp.name} external destinations`)} -m addrtype --src-type LOCAL -j ${MARK_MASQ_CHAIN}`,
    `-m comment --comment ${q(`route LOCAL traffic for ${sp.name} external destinations`)} -m addrtype --src-type LOCAL -j ${svc}`,
    `-j ${svl}`,
  ]);

  // TK-SEP: hairpin masquerade + DNAT (affinity: remember the client)
  for (const e of p.ready) {
    const sep = endpointChainName(sp.name, sp.protocol, epString(e));
    const comment = sink.comments ? `-m comment --comment ${q(sp.name)} ` : '';
    const recent = sp.sessionAffinity === 'ClientIP' ? `-m recent --name ${sep} --set ` : '';
    chain(sep, [
      `${comment}-s ${e.ip}/32 -j ${MARK_MASQ_CHAIN}`,
      `${comment}${recent}${match} -j DNAT --to-destination ${epString(e)}`,
    ]);
  }
}
