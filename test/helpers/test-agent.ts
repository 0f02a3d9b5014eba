/**
 * Runs the real `tinykube agent` (compiled) against a TestControlPlane: its own node name, pod
 * bridge, runtime scope and data dir, the node API on a free port with a serving certificate from
 * the control plane's CA. Everything it made is removed by destroy().
 */
import { DAEMON_NODE_FLAGS, daemonEnv } from '../../cli/daemon-node.js';
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { removeNodeContainers } from '../../cli/down/down-node.js';
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
  constructor(readonly cp: TestControlPlane, readonly opts: { extraArgs?: string[]; join?: { token: string; caCertHash: string } } = {}) {}

  /** The command line: `agent` with the admin kubeconfig and a CA-signed serving certificate, or `join`. */
  private args(): string[] {
    const common = ['--data-dir', this.dataDir, '--node-name', this.nodeName, '--node-ip', '127.0.0.1', '--bridge', this.bridge,
      '--node-api-port', String(this.apiPort), ...(this.opts.extraArgs ?? [])];
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
    const proc = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: daemonEnv({ ...process.env, TINYKUBE_LOG_LEVEL: 'info', ...(this.opts.join ? { TINYKUBE_TOKEN: this.opts.join.token } : {}) }) });
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

  /** Docker containers of this node (its runtime scope). */
  async containers(all = true): Promise<Array<{ id: string; name: string; state: string }>> {
    const { stdout } = await run('docker', ['ps', ...(all ? ['-a'] : []), '--filter', `label=io.tinykube.runtime-scope=${this.nodeName}`, '--format', '{{.ID}} {{.Names}} {{.State}}']);
    return stdout.split('\n').filter(Boolean).map((l) => { const [id, name, state] = l.split(' '); return { id: id!, name: name!, state: state! }; });
  }

  async destroy(): Promise<void> {
    await this.stop();
    await removeNodeContainers(this.dataDir, this.nodeName, { bridge: this.bridge });
    const ids = (await this.containers().catch(() => [])).map((c) => c.id);
    if (ids.length) await run('docker', ['rm', '-f', ...ids]).catch(() => undefined); // already gone: fine
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
