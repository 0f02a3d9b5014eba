/**
 * `tinykube doctor`'s preflight checks, kubeadm style: each looks at one thing through the Probe
 * (files, commands, sockets) and says ok, warn or fail with one line of detail. PURE given the
 * probe; doctor-command.ts runs them against the machine.
 */
import { isExecError } from '../../lib/exec/exec-error.js';
import { exitStatus } from '../../lib/exec/exit-status.js';
import type { RunResult } from '../../lib/exec/runner.js';
import type { CheckResult, Probe } from './types.js';
import { parseCidr } from '../../control/util/ipv4.js';
import { detectIptablesBackends } from '../../netproxy/iptables-backend.js';
import type { IptablesBackends } from '../../netproxy/iptables-backend.js';
import { parseRuntimeEndpoint, type RuntimeEndpoint } from '../../cri/endpoint.js';
import { isCriError } from '../../cri/errors.js';
import { checkContainerd } from './containerd-checks.js';

export type { CheckResult, Probe, Verdict } from './types.js';

export interface DoctorOptions {
  runtimeEndpoint: string;
  clusterCidr: string;
  serviceCidr: string;
  /** The ports `up` listens on (API server, node API) and whether our own server holds them. */
  ports: ReadonlyArray<{ port: number; what: string }>;
  /** PIDs of a running `tinykube up` (its ports are then in use by us). */
  ownPids: readonly number[];
}

const ok = (name: string, detail: string): CheckResult => ({ name, verdict: 'ok', detail });
const warn = (name: string, detail: string): CheckResult => ({ name, verdict: 'warn', detail });
const fail = (name: string, detail: string): CheckResult => ({ name, verdict: 'fail', detail });

/** A command's exit status: 127 when it is not installed (as a shell says), 1 with the reason when it could not run. */
async function status(p: Probe, cmd: string, args: readonly string[]): Promise<RunResult> {
  try {
    return await exitStatus(p.exec.run(cmd, args));
  } catch (err) {
    if (isExecError(err) && err.code === 'NotFound') return { code: 127, stdout: '', stderr: err.message };
    return { code: 1, stdout: '', stderr: err instanceof Error ? err.message : String(err) };
  }
}

export async function checkRoot(p: Probe): Promise<CheckResult> {
  return p.isRoot() ? ok('root', 'running as root') : fail('root', 'tinykube needs root: run it as root (scripts/tinykube re-runs itself through sudo)');
}

/** Kernel features the node networking needs: module name and kernel config option. */
export const KERNEL_FEATURES = [
  ['bridge', 'CONFIG_BRIDGE'], ['br_netfilter', 'CONFIG_BRIDGE_NETFILTER'], ['veth', 'CONFIG_VETH'],
  ['nf_conntrack', 'CONFIG_NF_CONNTRACK'], ['nf_nat', 'CONFIG_NF_NAT'],
] as const;

export async function checkKernel(p: Probe): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const config = await p.kernelConfig();
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const [mod, option] of KERNEL_FEATURES) {
    if (await p.exists(`/sys/module/${mod}`)) continue; // loaded (or built in with parameters)
    const m = config === undefined ? undefined : new RegExp(`^${option}=([ym])$`, 'm').exec(config);
    if (m) continue; // built in (y) or a module modprobe can load (m)
    (config === undefined ? unknown : missing).push(mod);
  }
  if (missing.length > 0) out.push(fail('kernel features', `not in this kernel: ${missing.join(', ')}`));
  else if (unknown.length > 0) out.push(warn('kernel features', `cannot confirm ${unknown.join(', ')} (not loaded, no kernel config published): modprobe ${unknown.join(' ')}`));
  else out.push(ok('kernel features', KERNEL_FEATURES.map(([m]) => m).join(', ')));
  out.push(await p.exists('/proc/self/ns/net') ? ok('network namespaces', 'supported') : fail('network namespaces', 'the kernel has no network namespaces'));
  const fwd = (await p.read('/proc/sys/net/ipv4/ip_forward'))?.trim();
  out.push(fwd === undefined ? fail('ip forwarding', 'no /proc/sys/net/ipv4/ip_forward')
    : ok('ip forwarding', fwd === '1' ? 'on' : 'off now; the agent turns it on'));
  const controllers = await p.read('/sys/fs/cgroup/cgroup.controllers');
  if (controllers === undefined) {
    const v1 = (await p.exists('/sys/fs/cgroup/memory')) && (await p.exists('/sys/fs/cgroup/cpu'));
    out.push(v1 ? ok('cgroups', 'v1 with cpu and memory') : warn('cgroups', 'neither cgroup v2 nor v1 cpu/memory hierarchies: resource limits are not enforced'));
  }
  else {
    const want = ['cpu', 'memory', 'pids'].filter((c) => !controllers.split(/\s+/).includes(c));
    out.push(want.length === 0 ? ok('cgroups', 'v2 with cpu, memory, pids') : warn('cgroups', `v2 without ${want.join(', ')}: those resource limits are not enforced`));
  }
  return out;
}

/** The iptables backend in use (nft or legacy) and whether rules of the other one exist too. */
export async function checkIptables(p: Probe): Promise<CheckResult> {
  let d: IptablesBackends;
  try {
    d = await detectIptablesBackends(p.exec);
  } catch {
    return fail('iptables', 'iptables is not installed (apt-get install iptables)'); // `iptables --version` did not answer
  }
  const backend = d.preferred;
  const restore = await status(p, `iptables-${backend}-restore`, ['--version']);
  if (restore.code !== 0) return fail('iptables', `iptables-${backend}-restore is missing`);
  const other = backend === 'nft' ? 'legacy' : 'nft';
  const otherRules = d.rules[other] ?? 0;
  return otherRules > 0
    ? warn('iptables', `${d.version}; ${otherRules} rules also in iptables-${other} (someone else's; the netproxy uses the backend holding more rules and never mixes them)`)
    : ok('iptables', d.version);
}

export const CNI_DIR = '/usr/lib/cni';
export const CNI_PLUGINS = ['bridge', 'host-local', 'portmap', 'loopback'] as const;

export async function checkTools(p: Probe): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const missing: string[] = [];
  for (const plugin of CNI_PLUGINS) if (!(await p.exists(`${CNI_DIR}/${plugin}`))) missing.push(plugin);
  out.push(missing.length === 0 ? ok('CNI plugins', `${CNI_PLUGINS.join(', ')} in ${CNI_DIR}`)
    : fail('CNI plugins', `missing in ${CNI_DIR}: ${missing.join(', ')} (apt-get install containernetworking-plugins)`));
  for (const [cmd, args, pkg, need] of [
    ['ip', ['-V'], 'iproute2', true], ['conntrack', ['--version'], 'conntrack', false],
    ['busybox', ['--help'], 'busybox-static (for `tinykube image build-test`)', false], ['kubectl', ['version', '--client'], 'kubectl', false],
  ] as const) {
    const r = await status(p, cmd, args);
    if (r.code !== 127) out.push(ok(cmd, 'installed'));
    else out.push((need ? fail : warn)(cmd, `not installed (${pkg})`));
  }
  return out;
}

export async function checkRuntime(p: Probe, endpoint: string): Promise<CheckResult[]> {
  let ep: RuntimeEndpoint;
  try {
    ep = parseRuntimeEndpoint(endpoint);
  } catch (e) {
    if (!isCriError(e, 'InvalidArgument')) throw e;
    return [fail('runtime', `unknown runtime endpoint ${endpoint}`)];
  }
  if (ep.kind === 'containerd') return checkContainerd(p, ep.address);
  const socket = ep.socketPath;
  if (!(await p.exists(socket))) return [fail('runtime', `no socket ${socket}: start dockerd`)];
  const v = await p.docker(socket);
  return ['error' in v ? fail('runtime', `docker at ${socket} does not answer: ${v.error}`) : ok('runtime', `docker ${v.version} (API ${v.apiVersion}) at ${socket}`)];
}

export async function checkPorts(p: Probe, o: DoctorOptions): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const { port, what } of o.ports) {
    if (await p.portFree(port)) out.push(ok(`port ${port}`, `free (${what})`));
    else if (o.ownPids.length > 0) out.push(ok(`port ${port}`, `in use by the running tinykube (pid ${o.ownPids.join(', ')})`));
    else out.push(fail(`port ${port}`, `in use by another process (${what} needs it)`));
  }
  return out;
}

interface Route { dst?: string; dev?: string; protocol?: string; type?: string }

/** Routes of other owners that overlap the cluster or service CIDR (ours are left out). */
export async function checkRoutes(p: Probe, o: DoctorOptions): Promise<CheckResult[]> {
  const r = await status(p, 'ip', ['-j', 'route', 'show', 'table', 'main']);
  if (r.code !== 0) return [warn('routes', `ip route: ${r.stderr.trim()}`)];
  let routes: Route[] = [];
  try { routes = JSON.parse(r.stdout) as Route[]; } catch { return [warn('routes', 'cannot read ip -j route output')]; }
  const out: CheckResult[] = [];
  const def = routes.find((x) => x.dst === 'default');
  out.push(def ? ok('default route', `via ${def.dev ?? '?'}; cluster and service addresses are kept from it`) : ok('default route', 'none'));
  for (const [what, cidr] of [['cluster CIDR', o.clusterCidr], ['service CIDR', o.serviceCidr]] as const) {
    const clash = routes.filter((x) => x.dst && x.dst !== 'default' && x.protocol !== '77' && x.type !== 'unreachable' && !x.dev?.startsWith('tk') && overlaps(x.dst, cidr));
    out.push(clash.length === 0 ? ok(what, `${cidr}: no other route overlaps`)
      : fail(what, `${cidr} overlaps ${clash.map((x) => `${x.dst ?? ''} dev ${x.dev ?? '?'}`).join(', ')}: choose another with --${what === 'cluster CIDR' ? 'cluster' : 'service'}-cidr`));
  }
  return out;
}

/** PURE. Whether two IPv4 CIDRs (a bare address counts as /32) share an address. */
export function overlaps(a: string, b: string): boolean {
  const ca = parseCidr(a.includes('/') ? a : `${a}/32`);
  const cb = parseCidr(b.includes('/') ? b : `${b}/32`);
  return ca !== undefined && cb !== undefined && ca.base < cb.base + cb.size && cb.base < ca.base + ca.size;
}

export async function runChecks(p: Probe, o: DoctorOptions): Promise<CheckResult[]> {
  return [
    await checkRoot(p), ...await checkKernel(p), await checkIptables(p), ...await checkTools(p),
    ...await checkRuntime(p, o.runtimeEndpoint), ...await checkPorts(p, o), ...await checkRoutes(p, o),
  ];
}
