/**
 * Runs the real `tinykube agent` (compiled) against a TestControlPlane: its own node name, pod
 * bridge, runtime scope and data dir, the node API on a free port with a serving certificate from
 * the control plane's CA. Everything it made is removed by destroy().
 */
import { AGENT_NODE_FLAGS, daemonEnv } from '../../cli/daemon-node.js';
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { removeNodeContainers } from '../../cli/down/down-node.js';
import { DOCKER_ENDPOINT } from '../../cli/defaults.js';
import { parseRuntimeEndpoint } from '../../cri/endpoint.js';
import { crictlBinary } from './cri-tools.js';
import { issueServingCert } from '../../control/pki/issue-cert.js';
import { CLI, freePort } from './control-plane.js';
import type { TestControlPlane } from './control-plane.js';
import { killNow, stopGracefully } from './child.js';

const run = promisify(execFile);

export class TestAgent {
  readonly id = randomBytes(3).toString('hex');
  readonly nodeName = `tk-e2e-${this.id}`;
  readonly bridge = `tke${this.id}`;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'tk-agent-'));
  proc?: ChildProcess;
  log = '';
  apiPort = 0;

  /**
   * `join`: start through `tinykube join … --foreground` with this bootstrap token (in its
   * environment, never on the command line) and CA pin (the
   * node's own credentials, from the CSR flow) instead of `tinykube agent` with the admin kubeconfig.
   */
  constructor(readonly cp: TestControlPlane, readonly opts: {
    extraArgs?: string[]; join?: { token: string; caCertHash: string };
    /** The agent's --runtime-endpoint (default Docker's); a containerd:// one is listed with the real crictl. */
    runtimeEndpoint?: string;
  } = {}) {}

  /** The node's runtime, as `--runtime-endpoint` names it. */
  get runtimeEndpoint(): string { return this.opts.runtimeEndpoint ?? DOCKER_ENDPOINT; }

  /** The command line: `agent` with the admin kubeconfig and a CA-signed serving certificate, or `join`. */
  private args(): string[] {
    const common = ['--data-dir', this.dataDir, '--node-name', this.nodeName, '--node-ip', '127.0.0.1', '--bridge', this.bridge,
      '--node-api-port', String(this.apiPort), ...(this.opts.runtimeEndpoint ? ['--runtime-endpoint', this.opts.runtimeEndpoint] : []),
      ...(this.opts.extraArgs ?? [])];
    const j = this.opts.join;
    if (j) return [CLI, 'join', this.cp.url, '--ca-cert-hash', j.caCertHash, '--foreground', '--network-mode', 'none', ...common]; // token: $TINYKUBE_TOKEN
    return [CLI, 'agent', '--kubeconfig', this.cp.kubeconfig, ...common,
      '--tls-cert-file', join(this.dataDir, 'kubelet.crt'), '--tls-private-key-file', join(this.dataDir, 'kubelet.key')];
  }

  async start(): Promise<void> {
    if (!this.apiPort && this.opts.join) this.apiPort = await freePort();
    if (!this.apiPort) {
      this.apiPort = await freePort();
      const ca = { caCertPem: this.cp.caCert, caKeyPem: readFileSync(join(this.cp.pkiDir, 'ca.key'), 'utf8') };
      const cert = await issueServingCert(ca, { commonName: `system:node:${this.nodeName}`, hosts: ['127.0.0.1', this.nodeName] });
      writeFileSync(join(this.dataDir, 'kubelet.crt'), cert.certPem);
      writeFileSync(join(this.dataDir, 'kubelet.key'), cert.keyPem, { mode: 0o600 });
    }
    const args = this.args();
    const proc = spawn(process.execPath, [...AGENT_NODE_FLAGS, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: daemonEnv({ ...process.env, TINYKUBE_LOG_LEVEL: process.env['TK_TEST_AGENT_LOG_LEVEL'] ?? 'info', ...(this.opts.join ? { TINYKUBE_TOKEN: this.opts.join.token } : {}) }) });
    this.proc = proc;
    proc.stdout?.on('data', (d: Buffer) => { this.log += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { this.log += d.toString(); });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`agent exited ${proc.exitCode}: ${this.log.slice(-2000)}`);
      const r = await this.cp.kubectl(['get', 'node', this.nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      if (r.stdout === 'True') return;
      await new Promise((res) => setTimeout(res, 250));
    }
    throw new Error(`node ${this.nodeName} not Ready: ${this.log.slice(-2000)}`);
  }

  get pid(): number | undefined { return this.proc?.pid; }

  /** kill -9 and wait for the exit. */
  kill9(): Promise<void> { return killNow(this.proc); }

  stop(): Promise<void> { return stopGracefully(this.proc, 10_000); }

  /**
   * The containers of this node, sandboxes included, named as dockershim named them
   * (k8s_<container|POD>_<pod>_<namespace>_<uid>_<attempt>): Docker's of its runtime scope, or
   * everything its containerd holds, as the real crictl lists it. `all` false: running ones only.
   */
  async containers(all = true): Promise<Array<{ id: string; name: string; state: string }>> {
    if (parseRuntimeEndpoint(this.runtimeEndpoint).kind === 'containerd') return criContainers(this.runtimeEndpoint, all);
    const { stdout } = await run('docker', ['ps', ...(all ? ['-a'] : []), '--filter', `label=io.tinykube.runtime-scope=${this.nodeName}`, '--format', '{{.ID}} {{.Names}} {{.State}}']);
    return stdout.split('\n').filter(Boolean).map((l) => { const [id, name, state] = l.split(' '); return { id: id!, name: name!, state: state! }; });
  }

  async destroy(): Promise<void> {
    await this.stop();
    await removeNodeContainers(this.dataDir, this.nodeName, { bridge: this.bridge, runtimeEndpoint: this.runtimeEndpoint });
    if (parseRuntimeEndpoint(this.runtimeEndpoint).kind === 'docker') {
      const ids = (await this.containers().catch(() => [])).map((c) => c.id);
      if (ids.length) await run('docker', ['rm', '-f', ...ids]).catch(() => undefined); // already gone: fine
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

interface CrictlPod { id: string; state: string; metadata: { name: string; uid: string; namespace: string; attempt?: number } }
interface CrictlContainer { id: string; podSandboxId: string; state: string; metadata: { name: string; attempt?: number } }

/** Sandboxes and containers of a CRI endpoint through the real crictl (pods -o json, ps -a -o json). */
export async function criContainers(endpoint: string, all: boolean): Promise<Array<{ id: string; name: string; state: string }>> {
  const crictl = crictlBinary();
  if (crictl === undefined) throw new Error('crictl is not on this machine (../shared/tools/cri-tools)');
  const r = ['-r', `unix://${endpoint.replace(/^[a-z]+:\/\//, '')}`, '-t', '10s'];
  const pods = (JSON.parse((await run(crictl, [...r, 'pods', '-o', 'json'])).stdout) as { items: CrictlPod[] }).items;
  const ctrs = (JSON.parse((await run(crictl, [...r, 'ps', '-a', '-o', 'json'])).stdout) as { containers: CrictlContainer[] }).containers;
  const byId = new Map(pods.map((p) => [p.id, p]));
  const name = (what: string, p: CrictlPod | undefined, attempt = 0) =>
    `k8s_${what}_${p?.metadata.name ?? ''}_${p?.metadata.namespace ?? ''}_${p?.metadata.uid ?? ''}_${attempt}`;
  const out = [
    ...pods.map((p) => ({ id: p.id, name: name('POD', p, p.metadata.attempt), state: p.state === 'SANDBOX_READY' ? 'running' : 'exited' })),
    ...ctrs.map((c) => ({ id: c.id, name: name(c.metadata.name, byId.get(c.podSandboxId), c.metadata.attempt),
      state: c.state.replace(/^CONTAINER_/, '').toLowerCase() })),
  ];
  return all ? out : out.filter((c) => c.state === 'running');
}
