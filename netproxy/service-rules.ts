/**
 * The rules of one service port (kube-proxy's per-service part of syncProxyRules): its entries in
 * the top-level chains (TK-SERVICES, TK-NODEPORTS, filter REJECT/DROP) and its own chains
 * (TK-SVC, TK-SVL, TK-EXT, TK-SEP). PURE; render.ts assembles the payload.
 */
import {
  EXTERNAL_SERVICES_CHAIN, MARK_MASQ_CHAIN, NODEPORTS_CHAIN, SERVICES_CHAIN,
  endpointChainName, externalChainName, serviceChainName, serviceLocalChainName,
} from './chains.js';
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
}

export const q = (s: string): string => `"${s}"`;

/** What a service port uses, derived once. */
interface Plan {
  ready: ProxyEndpoint[];
  hasEndpoints: boolean;
  usesExt: boolean;
  usesSvl: boolean;
  externalNoEndpoints: 'REJECT' | 'DROP' | undefined;
}

function plan(sp: ServicePort): Plan {
  const ready = sp.endpoints.filter((e) => e.ready);
  const local = ready.filter((e) => e.local);
  const hasEndpoints = ready.length > 0;
  const policyLocal = sp.externalTrafficPolicy === 'Local';
  const hasExternalEndpoints = policyLocal ? local.length > 0 : hasEndpoints;
  const hasExternal = sp.nodePort !== undefined || sp.loadBalancerIPs.length > 0 || sp.externalIPs.length > 0;
  const usesExt = hasExternal && hasExternalEndpoints;
  return {
    ready, hasEndpoints, usesExt, usesSvl: usesExt && policyLocal,
    externalNoEndpoints: hasExternal && !hasExternalEndpoints ? (hasEndpoints ? 'DROP' : 'REJECT') : undefined,
  };
}

const epString = (e: ProxyEndpoint): string => `${e.ip}:${e.port}`;

/** The per-service nat chains a service port's rules use, in render order. */
export function serviceChainsOf(sp: ServicePort): string[] {
  const p = plan(sp);
  if (!p.hasEndpoints) return [];
  const out = [serviceChainName(sp.name, sp.protocol)];
  if (p.usesSvl) out.push(serviceLocalChainName(sp.name, sp.protocol));
  if (p.usesExt) out.push(externalChainName(sp.name, sp.protocol));
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

/** Appends one service port's rules to the sink (own chains only when `include(chain)`). */
export function writeServicePort(sp: ServicePort, opts: RenderOptions, sink: RuleSink, include: (chain: string) => boolean): void {
  const p = plan(sp);
  const proto = sp.protocol.toLowerCase();
  const match = `-m ${proto} -p ${proto}`;
  const svc = serviceChainName(sp.name, sp.protocol);
  const svl = serviceLocalChainName(sp.name, sp.protocol);
  const ext = externalChainName(sp.name, sp.protocol);
  const noEp = `-m comment --comment ${q(`${sp.name} has no endpoints`)}`;

  // ClusterIP
  if (sp.clusterIP) {
    const dst = `${match} -d ${sp.clusterIP} --dport ${sp.port}`;
    if (p.hasEndpoints) sink.nat.push(`-A ${SERVICES_CHAIN} -m comment --comment ${q(`${sp.name} cluster IP`)} ${dst} -j ${svc}`);
    else sink.filter.push(`-A ${SERVICES_CHAIN} ${noEp} ${dst} ${REJECT}`);
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
      if (p.usesExt) sink.nat.push(`-A ${SERVICES_CHAIN} -m comment --comment ${q(`${sp.name} ${what}`)} ${dst} -j ${ext}`);
      else if (p.externalNoEndpoints) sink.filter.push(`-A ${EXTERNAL_SERVICES_CHAIN} ${extFilter} ${dst} ${extVerdict}`);
    }
  }
  if (sp.nodePort !== undefined) {
    if (p.usesExt) sink.nat.push(`-A ${NODEPORTS_CHAIN} -m comment --comment ${q(sp.name)} ${match} --dport ${sp.nodePort} -j ${ext}`);
    else if (p.externalNoEndpoints) sink.filter.push(`-A ${EXTERNAL_SERVICES_CHAIN} ${extFilter} -m addrtype --dst-type LOCAL ${match} --dport ${sp.nodePort} ${extVerdict}`);
  }

  if (!p.hasEndpoints) return;
  /** Builds a chain's rules only when the chain is written (partial syncs skip most). */
  const chain = (name: string, build: () => string[]) => { if (include(name)) sink.chains.set(name, build().map((r) => `-A ${name} ${r}`)); };

  // TK-SVC: masquerade off-cluster sources, then pick an endpoint
  chain(svc, () => [
    ...(sp.clusterIP && opts.clusterCIDR
      ? [`-m comment --comment ${q(`${sp.name} cluster IP`)} ${match} -d ${sp.clusterIP} --dport ${sp.port} ! -s ${opts.clusterCIDR} -j ${MARK_MASQ_CHAIN}`]
      : []),
    ...endpointDispatch(sp, p.ready, sink.comments),
  ]);

  // TK-SVL: local endpoints only (externalTrafficPolicy Local)
  if (p.usesSvl) chain(svl, () => endpointDispatch(sp, p.ready.filter((e) => e.local), sink.comments));

  // TK-EXT: external traffic entry
  if (p.usesExt) chain(ext, () => {
    const extRules: string[] = [];
    if (p.usesSvl) {
      if (opts.clusterCIDR) extRules.push(`-m comment --comment ${q(`pod traffic for ${sp.name} external destinations`)} -s ${opts.clusterCIDR} -j ${svc}`);
      extRules.push(`-m comment --comment ${q(`masquerade LOCAL traffic for ${sp.name} external destinations`)} -m addrtype --src-type LOCAL -j ${MARK_MASQ_CHAIN}`);
      extRules.push(`-m comment --comment ${q(`route LOCAL traffic for ${sp.name} external destinations`)} -m addrtype --src-type LOCAL -j ${svc}`);
      extRules.push(`-j ${svl}`);
    } else {
      extRules.push(`-m comment --comment ${q(`masquerade traffic for ${sp.name} external destinations`)} -j ${MARK_MASQ_CHAIN}`);
      extRules.push(`-j ${svc}`);
    }
    return extRules;
  });

  // TK-SEP: hairpin masquerade + DNAT (affinity: remember the client)
  for (const e of p.ready) {
    const sep = endpointChainName(sp.name, sp.protocol, epString(e));
    const comment = sink.comments ? `-m comment --comment ${q(sp.name)} ` : '';
    const recent = sp.sessionAffinity === 'ClientIP' ? `-m recent --name ${sep} --set ` : '';
    chain(sep, () => [
      `${comment}-s ${e.ip}/32 -j ${MARK_MASQ_CHAIN}`,
      `${comment}${recent}${match} -j DNAT --to-destination ${epString(e)}`,
    ]);
  }
}
