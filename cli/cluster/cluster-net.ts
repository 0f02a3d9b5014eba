/**
 * The network half of `cluster up` (netns-cluster.md §3, LAN_MODE=netns): the LAN netns with its
 * bridge, the host's one veth into it, a netns per node on that bridge, and the host routes. Every
 * object is recorded in the state only after the command that made it succeeded, and the state is
 * saved at once, so a rollback or `cluster down` never removes something that is not ours.
 */
import type { Runner } from '../../lib/exec/runner.js';
import type { NodePlan } from './cluster-plan.js';
import { addressPrefixes, LAN_BRIDGE, LAN_HOST_PORT } from './cluster-plan.js';
import type { ClusterState } from './cluster-state.js';

/** Sysctls of a node netns (gotcha 8; a new netns copies IPv4 settings from the host's). */
export const NODE_SYSCTLS: readonly string[] = [
  'net.ipv4.ip_forward=1',
  'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', 'net.ipv4.conf.eth0.rp_filter=0',
  'net.ipv4.conf.all.send_redirects=0', 'net.ipv4.conf.default.send_redirects=0', 'net.ipv4.conf.eth0.send_redirects=0',
  'net.ipv4.conf.all.route_localnet=1',
  'net.ipv4.icmp_ratelimit=0',
  'net.bridge.bridge-nf-call-iptables=1',
];

export interface NetSteps { exec: Runner; state: ClusterState; save: () => Promise<void> }

const ip = (x: NetSteps, ...args: string[]) => x.exec.run('ip', args);

async function addNetns(x: NetSteps, ns: string): Promise<void> {
  await ip(x, 'netns', 'add', ns);
  x.state.netns.push(ns);
  await x.save();
  await ip(x, '-n', ns, 'link', 'set', 'dev', 'lo', 'up');
}

/** The LAN netns with bridge tkbr (policy ACCEPT, no rules) and the host's veth into it. */
export async function createLan(x: NetSteps): Promise<void> {
  const p = x.state.plan;
  await addNetns(x, p.lanNetns);
  await ip(x, '-n', p.lanNetns, 'link', 'add', LAN_BRIDGE, 'type', 'bridge');
  await ip(x, '-n', p.lanNetns, 'link', 'set', 'dev', LAN_BRIDGE, 'up');
  await ip(x, 'link', 'add', p.hostLink, 'type', 'veth', 'peer', 'name', LAN_HOST_PORT, 'netns', p.lanNetns);
  x.state.hostLinks.push(p.hostLink);
  await x.save();
  await ip(x, '-n', p.lanNetns, 'link', 'set', 'dev', LAN_HOST_PORT, 'master', LAN_BRIDGE, 'up');
  await ip(x, 'addr', 'add', `${p.hostIP}/24`, 'dev', p.hostLink);
  await ip(x, 'link', 'set', 'dev', p.hostLink, 'up');
}

/** A node: its netns, eth0 on the LAN bridge with the node IP, lo up, sysctls, no default route. */
export async function createNode(x: NetSteps, n: NodePlan): Promise<void> {
  const p = x.state.plan;
  await addNetns(x, n.netns);
  await ip(x, '-n', p.lanNetns, 'link', 'add', n.lanPort, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.netns);
  await ip(x, '-n', p.lanNetns, 'link', 'set', 'dev', n.lanPort, 'master', LAN_BRIDGE, 'up');
  await ip(x, '-n', n.netns, 'addr', 'add', `${n.ip}/24`, 'dev', 'eth0');
  await ip(x, '-n', n.netns, 'link', 'set', 'dev', 'eth0', 'up');
  await ip(x, 'netns', 'exec', n.netns, 'sysctl', '-qw', ...NODE_SYSCTLS);
}

/** `unreachable` routes on the host for the cluster and service CIDRs: nothing for them leaves the machine. */
export async function addUnreachableRoutes(x: NetSteps): Promise<void> {
  for (const cidr of [x.state.plan.clusterCidr, x.state.plan.serviceCidr]) {
    const route = ['unreachable', cidr];
    await ip(x, 'route', 'add', ...route);
    x.state.hostRoutes.push(route);
    await x.save();
  }
}

/** The host route to a node's podCIDR via the node IP (host-gw). Idempotent. */
export async function addPodRoute(x: NetSteps, podCidr: string, nodeIP: string): Promise<void> {
  const route = [podCidr, 'via', nodeIP, 'dev', x.state.plan.hostLink];
  if (x.state.hostRoutes.some((r) => r.join(' ') === route.join(' '))) return;
  await ip(x, 'route', 'replace', ...route);
  x.state.hostRoutes.push(route);
  await x.save();
}

/** Which cluster indices the host already uses addresses or routes of (another cluster, or anything else). */
export async function indexInUse(exec: Runner): Promise<(k: number) => boolean> {
  const text = `${(await exec.run('ip', ['-4', '-o', 'addr', 'show'])).stdout}\n${(await exec.run('ip', ['-4', 'route', 'show', 'table', 'all'])).stdout}`;
  const tokens = text.split(/\s+/).filter((t) => /^\d/.test(t));
  return (k: number) => addressPrefixes(k).some((pre) => tokens.some((t) => t.startsWith(pre)));
}
