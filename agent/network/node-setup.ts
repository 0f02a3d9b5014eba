/**
 * One-time network setup of a node, and its exact undo (DESIGN §6, docs/netns-cluster.md §6).
 *
 * mode 'node' (the agent inside a cluster node's netns, `cluster up`): every gotcha-8 sysctl; the
 * pod bridge; the service CIDR routed `dev <lan-if>` (a usable route, so the node's own processes
 * can reach ClusterIPs: nat OUTPUT DNATs after the route lookup; un-DNATed packets meet netproxy's
 * catch-all REJECT). No unreachable routes inside a node (gotchas 5/6); no default route expected.
 *
 * mode 'host' (`tinykube up`, the agent in the host's own namespace): only ip_forward and
 * route_localnet are touched (shared settings; bridge-nf never); `unreachable` routes for the
 * service and cluster CIDRs so nothing follows the default route off the machine (more specific
 * pod routes still win); `ip rule pref 79 iif lo to <svc> lookup 79` with `<svc> dev <bridge>`
 * in table 79, so the host's own connections to ClusterIPs still get DNATed; TK-FORWARD-PODS past
 * Docker's FORWARD DROP.
 *
 * Both: the pod bridge is created with the podCIDR gateway (the CNI bridge plugin reuses it) and
 * the node-local DNS address (10.96.0.10) goes on `lo` as a /32, so pods' queries to it are
 * delivered to this node's agent. Everything is idempotent; routes we add carry `proto 78`.
 */
import type { Logger } from 'pino';
import type { Runner } from '../../lib/exec/runner.js';
import type { IptablesBackend } from '../../netproxy/iptables-backend.js';
import { isExists, isMissing, networkToolRunner } from './network-tools.js';
import { ensureForwardRules, removeForwardRules } from './forward-rules.js';
import { gatewayCidr } from '../../control/util/ipv4.js';
import { applySysctls, restoreSysctls } from './sysctl.js';

/** The routing protocol number of the routes node setup adds (host-gw routes use 77). */
export const SETUP_PROTO = '78';
/** Policy rule priority and table for the host's own traffic to ClusterIPs (gotcha 6). */
export const SERVICE_RULE_PREF = '79';
export const SERVICE_TABLE = '79';
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';

export type NetworkMode = 'node' | 'host';

export interface NodeNetworkOptions {
  mode: NetworkMode;
  /** The node's pod bridge (e.g. tk0). */
  bridge: string;
  /** This node's podCIDR; the bridge gets its first address. */
  podCidr: string;
  serviceCidr?: string;
  clusterCidr?: string;
  /** mode 'node': the interface the service CIDR is routed to; default the one holding nodeIP. */
  lanInterface?: string;
  nodeIP?: string;
  /** The node-local cluster DNS address, added as /32 on lo (e.g. 10.96.0.10). */
  dnsIP?: string;
  /** Default: the real commands in the current network namespace. */
  exec?: Runner;
  log: Logger;
}

/** What setup changed that teardown cannot rediscover: JSON-serialisable, keep it if you can. */
export interface NodeNetworkState {
  /** Previous values of the sysctls setup changed. */
  sysctls: Record<string, string>;
  forwardBackends: IptablesBackend[];
}

/** PURE. The sysctls a mode sets (gotcha 8); `lanIf` also gets the per-interface ones. */
export function sysctlsFor(mode: NetworkMode, lanIf?: string): Record<string, string> {
  if (mode === 'host') return { 'net.ipv4.ip_forward': '1', 'net.ipv4.conf.all.route_localnet': '1' };
  const s: Record<string, string> = {
    'net.ipv4.ip_forward': '1',
    'net.ipv4.conf.all.rp_filter': '0', 'net.ipv4.conf.default.rp_filter': '0',
    'net.ipv4.conf.all.send_redirects': '0', 'net.ipv4.conf.default.send_redirects': '0',
    'net.ipv4.conf.all.route_localnet': '1',
    'net.ipv4.icmp_ratelimit': '0',
    'net.bridge.bridge-nf-call-iptables': '1',
  };
  if (lanIf) Object.assign(s, { [`net.ipv4.conf.${lanIf}.rp_filter`]: '0', [`net.ipv4.conf.${lanIf}.send_redirects`]: '0' });
  return s;
}

export async function setupNodeNetwork(o: NodeNetworkOptions): Promise<NodeNetworkState> {
  const exec = o.exec ?? networkToolRunner();
  const log = o.log.child({ component: 'node-network', mode: o.mode });
  const svc = o.serviceCidr ?? DEFAULT_SERVICE_CIDR;
  const lanIf = o.mode === 'node' ? o.lanInterface ?? await interfaceOf(exec, o.nodeIP) : undefined;
  const sysctls = await applySysctls(exec, sysctlsFor(o.mode, lanIf));
  await ensureBridge(exec, o.bridge, gatewayCidr(o.podCidr), log);
  await exec.run('ip', ['link', 'set', 'lo', 'up']);
  if (o.dnsIP) await exec.run('ip', ['addr', 'replace', `${o.dnsIP}/32`, 'dev', 'lo']);
  let forwardBackends: IptablesBackend[] = [];
  if (o.mode === 'node') {
    if (!lanIf) throw new Error(`set up node network: no LAN interface (give lanInterface, or a nodeIP assigned to one)`);
    await exec.run('ip', ['route', 'replace', svc, 'dev', lanIf, 'proto', SETUP_PROTO]);
    const def = (await exec.run('ip', ['-4', 'route', 'show', 'default'])).stdout.trim();
    if (def) log.warn({ route: def }, 'Node namespace has a default route; cluster traffic relies on REJECT rules alone');
  } else {
    const cluster = o.clusterCidr ?? DEFAULT_CLUSTER_CIDR;
    await exec.run('ip', ['route', 'replace', 'unreachable', svc, 'proto', SETUP_PROTO]);
    await exec.run('ip', ['route', 'replace', 'unreachable', cluster, 'proto', SETUP_PROTO]);
    await exec.run('ip', ['route', 'replace', svc, 'dev', o.bridge, 'table', SERVICE_TABLE, 'proto', SETUP_PROTO]);
    if (!(await hasServiceRule(exec, svc))) {
      await exec.run('ip', ['rule', 'add', 'pref', SERVICE_RULE_PREF, 'iif', 'lo', 'to', svc, 'lookup', SERVICE_TABLE]);
    }
    forwardBackends = await ensureForwardRules(exec, cluster);
  }
  log.info({ bridge: o.bridge, podCidr: o.podCidr, lanIf, sysctls: Object.keys(sysctls), forwardBackends }, 'Set up node network');
  return { sysctls, forwardBackends };
}

export interface TeardownOptions {
  /** Leave the pod bridge in place (default: delete it). */
  keepBridge?: boolean;
}

/**
 * Removes what setupNodeNetwork adds: our `proto 78` routes, the policy rule, the DNS address,
 * TK-FORWARD-PODS, the bridge; with `state`, restores the sysctls it changed. Idempotent; works
 * without `state` (from another process) for everything but the sysctls.
 */
export async function teardownNodeNetwork(o: NodeNetworkOptions & TeardownOptions, state?: NodeNetworkState): Promise<void> {
  const exec = o.exec ?? networkToolRunner();
  const svc = o.serviceCidr ?? DEFAULT_SERVICE_CIDR;
  const tolerate = (err: unknown) => { if (!isMissing(err)) throw err; };
  await exec.run('ip', ['-4', 'route', 'flush', 'proto', SETUP_PROTO]).catch(tolerate);
  if (o.mode === 'host') {
    await exec.run('ip', ['-4', 'route', 'flush', 'table', SERVICE_TABLE, 'proto', SETUP_PROTO]).catch(tolerate);
    while (await hasServiceRule(exec, svc)) {
      await exec.run('ip', ['rule', 'del', 'pref', SERVICE_RULE_PREF, 'iif', 'lo', 'to', svc, 'lookup', SERVICE_TABLE]);
    }
    await removeForwardRules(exec);
  }
  if (o.dnsIP) await exec.run('ip', ['addr', 'del', `${o.dnsIP}/32`, 'dev', 'lo']).catch(tolerate);
  if (!o.keepBridge) await exec.run('ip', ['link', 'del', o.bridge]).catch(tolerate);
  if (state) await restoreSysctls(exec, state.sysctls);
  o.log.child({ component: 'node-network', mode: o.mode }).info({ bridge: o.bridge }, 'Removed node network');
}

/** Creates the bridge if missing; gives it exactly the gateway address; sets it up. */
async function ensureBridge(exec: Runner, bridge: string, gw: string, log: Logger): Promise<void> {
  const exists = await exec.run('ip', ['-j', 'link', 'show', 'dev', bridge]).then(() => true, (err: unknown) => {
    if (isMissing(err)) return false;
    throw err;
  });
  if (!exists) {
    await exec.run('ip', ['link', 'add', bridge, 'type', 'bridge']).catch((err: unknown) => { if (!isExists(err)) throw err; });
    log.info({ bridge }, 'Created pod bridge');
  }
  // the CNI bridge plugin refuses a bridge with any other IPv4 address: drop stale ones
  for (const a of await ipv4Addrs(exec, bridge)) {
    if (a !== gw) await exec.run('ip', ['addr', 'del', a, 'dev', bridge]).catch((err: unknown) => { if (!isMissing(err)) throw err; });
  }
  await exec.run('ip', ['addr', 'replace', gw, 'dev', bridge]);
  await exec.run('ip', ['link', 'set', bridge, 'up']);
}

interface AddrInfo { ifname?: string; addr_info?: Array<{ family?: string; local?: string; prefixlen?: number }> }

async function ipv4Addrs(exec: Runner, dev: string): Promise<string[]> {
  const { stdout } = await exec.run('ip', ['-j', '-4', 'addr', 'show', 'dev', dev]);
  const parsed = (stdout.trim() ? JSON.parse(stdout) : []) as AddrInfo[];
  return parsed.flatMap((i) => (i.addr_info ?? []).map((a) => `${a.local ?? ''}/${a.prefixlen ?? 32}`));
}

/** The interface holding `ip`, if any. */
async function interfaceOf(exec: Runner, ip: string | undefined): Promise<string | undefined> {
  if (!ip) return undefined;
  const { stdout } = await exec.run('ip', ['-j', '-4', 'addr', 'show']);
  const parsed = (stdout.trim() ? JSON.parse(stdout) : []) as AddrInfo[];
  return parsed.find((i) => (i.addr_info ?? []).some((a) => a.local === ip))?.ifname;
}

async function hasServiceRule(exec: Runner, svc: string): Promise<boolean> {
  const { stdout } = await exec.run('ip', ['-j', '-4', 'rule', 'show', 'pref', SERVICE_RULE_PREF]);
  const rules = (stdout.trim() ? JSON.parse(stdout) : []) as Array<{ dst?: string; dstlen?: number; iif?: string; table?: string }>;
  return rules.some((r) => `${r.dst ?? ''}/${r.dstlen ?? 32}` === svc && r.iif === 'lo' && r.table === SERVICE_TABLE);
}
