/**
 * A local cluster (`tinykube cluster up`) as a test target: kubectl against it, one node's agent
 * killed with -9 and started again the way its service manager would (the same command line and
 * environment), the node's containers through the real crictl on its own containerd, and a
 * registry its nodes reach (the host's test registry is on the host's loopback, which a node
 * namespace does not share): a second docker-registry over the same storage on the host's LAN
 * address, named in each node containerd's hosts.toml as plain HTTP.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterState } from '../../cli/cluster/cluster-state.js';
import { CLI, freePort, type Run } from './control-plane.js';
import { eventually } from './eventually.js';
import { stopGracefully } from './child.js';
import { criContainers } from './test-agent.js';

function run(cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, [...args], { timeout: opts.timeoutMs ?? 180_000, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** The host's test registry storage (scripts/lib.sh ensure_registry). */
const REGISTRY_STORAGE = '/var/lib/tinykube-test/registry';

export class ClusterTarget {
  readonly dir = mkdtempSync(join(tmpdir(), 'tk-cluster-target-'));
  readonly cacheDir = join(this.dir, 'kube-cache');
  readonly dataDir = join(this.dir, 'cluster');
  kubeconfig = '';
  /** host:port of the registry the nodes pull from (plain HTTP). */
  registry = '';
  private registryProc?: ChildProcess;
  /** Agents this target started again after a kill -9 (stopped by destroy, by handle). */
  private readonly restarted = new Map<string, ChildProcess>();
  private up = false;

  constructor(readonly name: string, readonly nodes: number, readonly runtime: 'docker' | 'containerd') {}

  state(): ClusterState { return JSON.parse(readFileSync(join(this.dataDir, 'cluster.json'), 'utf8')) as ClusterState; }

  async start(): Promise<void> {
    const r = await run(process.execPath, [CLI, 'cluster', 'up', '--name', this.name, '--nodes', String(this.nodes), '--runtime', this.runtime, '--data-dir', this.dataDir], { timeoutMs: 240_000 });
    this.up = true;
    if (r.code !== 0) throw new Error(`cluster up: ${r.stderr}${r.stdout}`);
    this.kubeconfig = /export KUBECONFIG=(\S+)/.exec(r.stdout)?.[1] ?? '';
    await this.startRegistry();
  }

  /** A read-only second registry over the test registry's storage, on the host's LAN address. */
  private async startRegistry(): Promise<void> {
    const s = this.state();
    const port = await freePort();
    this.registry = `${s.plan.hostIP}:${port}`;
    const conf = join(this.dir, 'registry.yml');
    writeFileSync(conf, ['version: 0.1', 'log: { level: warn, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${REGISTRY_STORAGE} }, maintenance: { readonly: { enabled: true } } }`,
      `http: { addr: ${this.registry} }`, ''].join('\n'));
    const log = openSync(join(this.dir, 'registry.log'), 'a');
    this.registryProc = spawn('docker-registry', ['serve', conf], { stdio: ['ignore', log, log] });
    closeSync(log);
    await eventually(async () => {
      const r = await fetch(`http://${this.registry}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (r.status !== 200) throw new Error(`registry answered ${r.status}`);
    }, { timeoutMs: 15_000, intervalMs: 100 });
    for (const c of Object.values(s.containerd ?? {})) {
      const hostDir = join(c.configDir, 'certs.d', this.registry);
      mkdirSync(hostDir, { recursive: true });
      writeFileSync(join(hostDir, 'hosts.toml'), `server = "http://${this.registry}"\n\n[host."http://${this.registry}"]\n  capabilities = ["pull", "resolve"]\n`);
    }
  }

  kubectl(args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Run> {
    return run('kubectl', ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args], { timeoutMs: opts.timeoutMs ?? 60_000, ...(opts.input !== undefined ? { input: opts.input } : {}) });
  }

  async k(...args: string[]): Promise<string> {
    const r = await this.kubectl(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  manifest(name: string, yaml: string): string {
    const f = join(this.dir, name);
    writeFileSync(f, yaml);
    return f;
  }

  private nodePlan(node: string) {
    const n = this.state().plan.nodes.find((x) => x.name === node);
    if (!n) throw new Error(`no node ${node} in cluster ${this.name}`);
    return n;
  }

  /** The node's CRI endpoint: its own containerd, or the agent's cri.sock on Docker nodes. */
  endpoint(node: string): string {
    const c = this.state().containerd?.[node];
    return c ? `containerd://${c.address}` : `unix://${join(this.nodePlan(node).dataDir, 'cri.sock')}`;
  }

  containers(node: string, all = true): Promise<Array<{ id: string; name: string; state: string }>> {
    return criContainers(this.endpoint(node), all);
  }

  /** The host-local file of a pod IP allocated on this node. */
  ipFile(node: string, ip: string): string {
    const n = this.nodePlan(node);
    return this.state().containerd?.[node] ? join(n.dataDir, 'cni', 'networks', n.netns, ip) : join(n.dataDir, 'cni', 'networks', 'tinykube', ip);
  }

  private agentPid(node: string): number {
    const again = this.restarted.get(node);
    if (again?.pid !== undefined && again.exitCode === null) return again.pid;
    const pid = this.state().agentPids[node];
    if (pid === undefined) throw new Error(`no agent pid for ${node}`);
    return pid;
  }

  /** kill -9 the node's agent (its command line and environment are kept to start it again). */
  private saved = new Map<string, { argv: string[]; env: NodeJS.ProcessEnv }>();
  async kill9(node: string): Promise<void> {
    const pid = this.agentPid(node);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    if (!argv.includes(join(this.nodePlan(node).dataDir))) throw new Error(`pid ${pid} is not the agent of ${node}: ${argv.join(' ')}`);
    const env = Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    this.saved.set(node, { argv, env });
    process.kill(pid, 'SIGKILL');
    await eventually(() => { expect404(pid); }, { timeoutMs: 10_000, intervalMs: 50 });
  }

  /** Start the node's agent again with the command line and environment it had. */
  start9(node: string): void {
    const s = this.saved.get(node);
    if (!s) throw new Error(`the agent of ${node} was not killed by this target`);
    const n = this.nodePlan(node);
    const log = openSync(join(n.dataDir, 'agent.log'), 'a');
    // As a node's service manager restarts its kubelet: the agent on the credentials `join` left
    // (kubelet.kubeconfig, pki/kubelet.*), with the same node flags; not a second bootstrap.
    const at = s.argv.indexOf('join');
    const [, , hashFlag, , fg] = s.argv.slice(at);
    if (at < 0 || hashFlag !== '--ca-cert-hash' || fg !== '--foreground') throw new Error(`not a node's join: ${s.argv.join(' ')}`);
    const argv = [...s.argv.slice(0, at), 'agent', '--kubeconfig', join(n.dataDir, 'kubelet.kubeconfig'), ...s.argv.slice(at + 5)];
    // `cluster up` ran it as `ip netns exec <netns> node …`; ip exec'd node, so /proc shows node's argv only
    const p = spawn('ip', ['netns', 'exec', n.netns, ...argv], { env: s.env, stdio: ['ignore', log, log] });
    closeSync(log);
    this.restarted.set(node, p);
  }

  async destroy(): Promise<void> {
    for (const p of this.restarted.values()) await stopGracefully(p, 10_000);
    await stopGracefully(this.registryProc, 5_000);
    if (this.up) await run(process.execPath, [CLI, 'cluster', 'down', '--name', this.name], { timeoutMs: 180_000 });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Gone, or a zombie (an agent started by `cluster up` is reaped by whoever adopted it, maybe never). */
function expect404(pid: number): void {
  let stat: string;
  try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return; }
  if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
  throw new Error(`pid ${pid} still there`);
}
