/**
 * A one-node `tinykube cluster up` for a benchmark: the real CLI starts it (control plane on the
 * host, the agent in its node network namespace; on `--runtime containerd` the node's own
 * containerd too) and `cluster down` removes all of it.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadKubeconfig } from '../../agent/kubeconfig.js';
import type { HttpsTransportOptions } from '../../control/client/transport.js';
import { loadState } from '../../cli/cluster/cluster-state.js';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../cli/main.js');

export class BenchCluster {
  serverPid?: number;
  agentPid?: number;
  /** containerd://<socket> of the node's containerd (runtime containerd only). */
  runtimeEndpoint?: string;
  /** The node's containerd (runtime containerd only). */
  containerdPid?: number;
  transport: HttpsTransportOptions = { server: '', caCertPem: '' };
  private started = false;

  constructor(readonly name: string, readonly runtime: 'docker' | 'containerd' = 'docker') {}

  async up(): Promise<void> {
    this.started = true;
    const { stdout } = await run(process.execPath, [CLI, 'cluster', 'up', '--name', this.name, '--nodes', '1', '--runtime', this.runtime], { timeout: 180_000 });
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(stdout)?.[1];
    if (!kubeconfig) throw new Error(`cluster up ${this.name}: no kubeconfig in its output: ${stdout}`);
    const state = loadState(dirname(kubeconfig));
    if (!state) throw new Error(`cluster up ${this.name}: no state next to ${kubeconfig}`);
    this.serverPid = state.serverPid;
    this.agentPid = Object.values(state.agentPids)[0];
    const c = Object.values(state.containerd ?? {})[0];
    if (c !== undefined) {
      this.runtimeEndpoint = `containerd://${c.address}`;
      this.containerdPid = c.pid;
    }
    this.transport = await loadKubeconfig(kubeconfig);
  }

  async down(): Promise<void> {
    if (!this.started) return;
    await run(process.execPath, [CLI, 'cluster', 'down', '--name', this.name], { timeout: 180_000 });
  }
}
