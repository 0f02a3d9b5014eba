/**
 * PURE. The layout of a local cluster (`tinykube cluster up`, DESIGN §7, netns-cluster.md with
 * LAN_MODE=netns), computed from its name, its index k (1..9) and its node count:
 *
 *   host netns ── veth tk<C>h 10.200.k.1/24 ──┐
 *   tk-<C>-lan netns: bridge tkbr (no rules) ─┼─ ports host0, n1..nN
 *   tk-<C>-n<i> netns: eth0 10.200.k.(10+i)/24 on that bridge, no default route
 *
 * Address ranges per cluster k (none overlaps `tinykube up`'s 10.244/16 and 10.96/12, Docker's
 * 172.16/12, or another cluster): node LAN 10.200.k.0/24, pods 10.(210+k).0.0/16 (one /24 per
 * node, from the control plane's IPAM), services 10.(220+k).0.0/16 (DNS at .0.10).
 */
import { join } from 'node:path';
import { UsageError } from '../flags.js';

export const MAX_CLUSTERS = 9;
export const MAX_NODES = 20;
export const DEFAULT_API_PORT = 6443;
/** The bridge inside the LAN netns and the names of its ports (they live only in that netns). */
export const LAN_BRIDGE = 'tkbr';
export const LAN_HOST_PORT = 'host0';
/** The pod bridge each agent's CNI bridge plugin creates inside its own node netns. */
export const POD_BRIDGE = 'tkpods';

export interface NodePlan {
  name: string;       // <C>-n<i>
  netns: string;      // tk-<C>-n<i>
  ip: string;         // 10.200.k.(10+i)
  lanPort: string;    // n<i>, the veth end on the LAN bridge
  dataDir: string;    // <D>/nodes/<name>
}

export interface ClusterPlan {
  name: string;
  index: number;
  dataDir: string;
  lanNetns: string;
  hostLink: string;
  lanCidr: string;
  hostIP: string;
  clusterCidr: string;
  serviceCidr: string;
  clusterDNS: string;
  nodes: NodePlan[];
}

const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/;

/** A cluster name is a DNS label of at most 12 characters (the host link tk<C>h has 15 at most). */
export function validateClusterName(name: string | undefined): string {
  if (name === undefined || name === '') throw new UsageError('--name is required');
  if (!NAME_RE.test(name)) {
    throw new UsageError(`cluster name "${name}" must be 1-12 lowercase letters, digits or '-', starting and ending with a letter or digit`);
  }
  return name;
}

export function parseNodeCount(text: string | undefined): number {
  const n = Number(text ?? '1');
  if (!Number.isInteger(n) || n < 1 || n > MAX_NODES) throw new UsageError(`--nodes must be a whole number from 1 to ${MAX_NODES}, not "${text ?? ''}"`);
  return n;
}

export function planCluster(o: { name: string; index: number; nodes: number; dataDir: string }): ClusterPlan {
  const k = o.index;
  if (!Number.isInteger(k) || k < 1 || k > MAX_CLUSTERS) throw new Error(`cluster index ${k} out of range 1-${MAX_CLUSTERS}`);
  const nodes: NodePlan[] = [];
  for (let i = 1; i <= o.nodes; i++) {
    const name = `${o.name}-n${i}`;
    nodes.push({ name, netns: `tk-${o.name}-n${i}`, ip: `10.200.${k}.${10 + i}`, lanPort: `n${i}`, dataDir: join(o.dataDir, 'nodes', name) });
  }
  return {
    name: o.name, index: k, dataDir: o.dataDir,
    lanNetns: `tk-${o.name}-lan`, hostLink: `tk${o.name}h`,
    lanCidr: `10.200.${k}.0/24`, hostIP: `10.200.${k}.1`,
    clusterCidr: `10.${210 + k}.0.0/16`, serviceCidr: `10.${220 + k}.0.0/16`, clusterDNS: `10.${220 + k}.0.10`,
    nodes,
  };
}

/** The prefixes ("10.200.k.", "10.21k.", "10.22k.") whose presence on the host means index k is taken. */
export function addressPrefixes(index: number): string[] {
  return [`10.200.${index}.`, `10.${210 + index}.`, `10.${220 + index}.`];
}

/** The API port candidates: the given one, or 6443 then 16440+k (when `tinykube up` holds 0.0.0.0:6443). */
export function apiPortCandidates(index: number, given?: number): number[] {
  return given !== undefined ? [given] : [DEFAULT_API_PORT, 16440 + index];
}
