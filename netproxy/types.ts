/**
 * The netproxy's model: what the renderer turns into rules (ProxyState), how (RenderOptions), and
 * the narrow I/O interfaces the proxier drives (Iptables, Conntrack). Everything here is data or a
 * contract; implementations live in iptables.ts / conntrack.ts with fakes beside them.
 */

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** Only ready endpoints get traffic (service-state already drops the others). */
  ready: boolean;
  /** The endpoint runs on this node (endpoint.nodeName === our node): used by externalTrafficPolicy Local. */
  local: boolean;
}

export interface ServicePort {
  /** "ns/svc:port", or "ns/svc" for an unnamed port (upstream ServicePortName.String()). */
  name: string;
  /** Empty for a service without a ClusterIP (headless services never reach the renderer). */
  clusterIP: string;
  port: number;
  protocol: Protocol;
  nodePort?: number;
  endpoints: readonly ProxyEndpoint[];
  sessionAffinity: 'None' | 'ClientIP';
  /** ClientIP affinity timeout (upstream default 10800 s). */
  affinityTimeoutSeconds?: number;
  externalTrafficPolicy: 'Cluster' | 'Local';
  /** status.loadBalancer.ingress[].ip of a LoadBalancer service. */
  loadBalancerIPs: readonly string[];
  externalIPs: readonly string[];
}

export interface ProxyState {
  servicePorts: readonly ServicePort[];
  /**
   * This node's addresses. NodePorts match every local address (`-m addrtype --dst-type LOCAL`,
   * which includes these and 127.0.0.1), so the renderer needs none of them; kept for callers.
   */
  nodeIPs: readonly string[];
}

export interface RenderOptions {
  /** Mark bit for masquerade, e.g. "0x4000" (kube-proxy's --iptables-masquerade-bit 14). */
  masqueradeMark: string;
  /** Pod CIDR of the cluster: ClusterIP traffic from outside it is masqueraded. */
  clusterCIDR?: string;
  /** Service CIDR: a catch-all REJECT makes unallocated ClusterIPs fail fast. */
  serviceCIDR?: string;
  /** nat chains to flush and delete (`-X`) at the end of the payload. */
  staleChains?: readonly string[];
  /**
   * Partial sync: write only these per-service chains (TK-SVC/SVL/EXT/SEP); the top-level chains
   * are always written in full. Undefined means a full sync.
   */
  onlyChains?: ReadonlySet<string>;
}

export type Table = 'filter' | 'nat';

export interface Iptables {
  /** Idempotent: the jumps from the built-in chains to ours, and the chains they lead to if missing. */
  ensureJumps(): Promise<void>;
  /** `iptables-save -t <table>` output. */
  save(table: Table): Promise<string>;
  /** One `iptables-restore --noflush --counters`; throws IptablesError (with the failing line when known). */
  restore(payload: string): Promise<void>;
  /** Removes every TK- chain and every jump to one (cluster down, tests). Idempotent. */
  cleanup(): Promise<void>;
}

export interface ConntrackFilter {
  protocol: 'udp';
  /** Original destination (the ClusterIP / external IP). */
  origDst?: string;
  /** Original destination port (a NodePort). */
  origPortDst?: number;
  /** Destination after DNAT (the removed endpoint's IP). */
  dstNat?: string;
}

export interface Conntrack {
  /** `conntrack -D` with the filter; deleting nothing is success. */
  deleteFlows(filter: ConntrackFilter): Promise<void>;
}
