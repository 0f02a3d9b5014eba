/**
 * PURE. A pod's resolv.conf as the kubelet builds it (pkg/kubelet/network/dns): the DNS type from
 * dnsPolicy (ClusterFirstWithHostNet → cluster; ClusterFirst → cluster unless hostNetwork, or when
 * no cluster DNS is configured; Default → the host's; None → empty), then spec.dnsConfig appended
 * (nameservers and searches de-duplicated, options merged by name with the pod's winning), then
 * the resolver limits (3 nameservers, 32 search domains).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

export interface DnsConfig { servers: string[]; searches: string[]; options: string[] }

export interface PodDnsOptions {
  /** The cluster DNS address (10.96.0.10); unset: ClusterFirst falls back to the host's. */
  clusterDNS?: string;
  clusterDomain?: string;
  /** The host's resolv.conf; unset: the runtime keeps its default file when nothing is to change. */
  hostDNS?: DnsConfig;
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

/** Undefined means "keep the runtime's default resolv.conf" (the host's). */
export function podDnsConfig(pod: Pod, o: PodDnsOptions): DnsConfig | undefined {
  const spec = pod.spec ?? { containers: [] };
  const ns = pod.metadata?.namespace ?? 'default';
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  const cluster = !!o.clusterDNS && (policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !spec.hostNetwork));
  let cfg: DnsConfig | undefined;
  if (policy === 'None') {
    cfg = { servers: [], searches: [], options: [] };
  } else if (cluster && o.clusterDNS) {
    const d = o.clusterDomain ?? 'cluster.local';
    cfg = { servers: [o.clusterDNS], searches: unique([`${ns}.svc.${d}`, `svc.${d}`, d, ...(o.hostDNS?.searches ?? [])]), options: ['ndots:5'] };
  } else if (spec.dnsConfig) {
    cfg = o.hostDNS ? { servers: [...o.hostDNS.servers], searches: [...o.hostDNS.searches], options: [...o.hostDNS.options] } : { servers: [], searches: [], options: [] };
  }
  if (!cfg) return undefined;
  if (spec.dnsConfig) {
    cfg = {
      servers: unique([...cfg.servers, ...(spec.dnsConfig.nameservers ?? [])]),
      searches: unique([...cfg.searches, ...(spec.dnsConfig.searches ?? [])]),
      options: mergeOptions(cfg.options, spec.dnsConfig.options ?? []),
    };
  }
  return { servers: cfg.servers.slice(0, MAX_NAMESERVERS), searches: cfg.searches.slice(0, MAX_SEARCHES), options: cfg.options };
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs.filter((x) => x !== ''))];
}

/** Options by name, later ones replacing earlier ones in place ("ndots:5" + {ndots: 2} → "ndots:2"). */
function mergeOptions(base: readonly string[], pod: ReadonlyArray<{ name?: string; value?: string }>): string[] {
  const m = new Map<string, string | undefined>();
  for (const o of base) {
    const i = o.indexOf(':');
    m.set(i < 0 ? o : o.slice(0, i), i < 0 ? undefined : o.slice(i + 1));
  }
  for (const o of pod) if (o.name) m.set(o.name, o.value === '' ? undefined : o.value);
  return [...m].map(([k, v]) => (v === undefined ? k : `${k}:${v}`));
}
