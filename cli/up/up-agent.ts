/**
 * The node half of `tinykube up`, idempotent against what already runs. One agent of the data dir
 * stays when the control plane was running already (others are stopped); when `up` has just
 * (re)started the control plane, the agent is restarted too, as kubeadm restarts the kubelet. A
 * new agent gets a serving certificate for the node API signed by the cluster CA (this host holds
 * the CA), runs in the background (logs in <data-dir>/agent.log), after a check that its node API
 * port is free (a port held by anything else is one error line naming the holder). Either way
 * `up` waits until the Node reports Ready with a heartbeat from this control plane's life.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findResource } from '../../control/api/resources.js';
import { issueServingCert } from '../../control/pki/issue-cert.js';
import { writeFileAtomic } from '../../control/pki/write-file-atomic.js';
import { AGENT_NODE_FLAGS } from '../daemon-node.js';
import { readPidFile, spawnDetached } from '../daemon-processes.js';
import { NODE_NAME_FILE } from '../node-name.js';
import { recordNodeNetwork } from '../node-network-record.js';
import type { NodeProcess } from '../node-processes.js';
import { AGENT_PID_FILE, AGENT_STOP_GRACE_MS, stillRunning, stopNodeProcesses } from '../node-processes.js';
import { waitNodeReady } from '../node-ready.js';
import { recordRuntimeEndpoint } from '../node-runtime.js';
import type { ControlPlaneUp } from './up-control-plane.js';
import { portOwner } from './up-control-plane.js';
import type { UpPlan } from './up-flags.js';
import { NODE_API_PORT_HINT } from '../port-holder.js';

const NODES = findResource('', 'v1', 'nodes')!;
/** `kubectl get nodes` shows ROLES control-plane for it. */
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
/** What to do about a node API port held by another process. */

export interface AgentDeps { main: string; err: NodeJS.WritableStream }

export async function ensureAgent(plan: UpPlan, agents: readonly NodeProcess[], cp: ControlPlaneUp, d: AgentDeps): Promise<{ pid: number }> {
  const { dataDir, node } = plan;
  const recorded = readPidFile(join(dataDir, AGENT_PID_FILE));
  // a fresh control plane gets a fresh agent; else the one the pid file names, or the oldest
  const keep = cp.startedAt !== undefined ? undefined : agents.find((a) => a.pid === recorded) ?? agents[0];
  const others = agents.filter((a) => a !== keep);
  if (others.length > 0) {
    d.err.write(`Stopping ${others.length === 1 ? 'the node agent' : `${others.length} node agents`} of ${dataDir} (pid ${others.map((a) => a.pid).join(', ')})\n`);
    await stopNodeProcesses(others, dataDir, AGENT_STOP_GRACE_MS);
  }
  const pki = join(dataDir, 'pki');
  const caCertPem = readFileSync(join(pki, 'ca.crt'), 'utf8');
  let pid: number;
  let exited: () => boolean;
  // a heartbeat from before the control plane (re)started, or before the agent started, says nothing about now
  let startedAt = cp.startedAt ?? 0;
  if (keep !== undefined) {
    d.err.write(`The node agent is running (pid ${keep.pid})`);
    pid = keep.pid;
    exited = () => !stillRunning(keep, dataDir);
  } else {
    startedAt = Math.floor(Date.now() / 1000) * 1000;
    portOwner(node.ip, node.apiPort, [], NODE_API_PORT_HINT);
    const serving = await issueServingCert({ caCertPem, caKeyPem: readFileSync(join(pki, 'ca.key'), 'utf8') },
      { commonName: `system:node:${node.name}`, hosts: [node.ip, node.name, '127.0.0.1'] });
    await writeFileAtomic(join(pki, 'kubelet.crt'), serving.certPem, 0o644);
    await writeFileAtomic(join(pki, 'kubelet.key'), serving.keyPem, 0o600);
    // what `down` (and a later `up`) read: the node's name, network and runtime
    writeFileSync(join(dataDir, NODE_NAME_FILE), `${node.name}\n`, { mode: 0o600 });
    recordNodeNetwork(dataDir, node.network);
    recordRuntimeEndpoint(dataDir, plan.runtimeEndpoint);
    const logFile = join(dataDir, 'agent.log');
    const child = spawnDetached(process.execPath, [...AGENT_NODE_FLAGS, d.main, 'agent', '--kubeconfig', join(dataDir, 'admin.kubeconfig'), '--data-dir', dataDir,
      '--node-name', node.name, '--node-ip', node.ip, '--runtime-endpoint', plan.runtimeEndpoint,
      '--network-mode', node.network.mode, '--bridge', node.network.bridge, '--node-api-port', String(node.apiPort),
      '--service-cidr', node.serviceCidr, '--cluster-cidr', node.clusterCidr], logFile);
    d.err.write(`Starting the node agent (pid ${child.pid}, logs in ${logFile})`);
    pid = child.pid;
    exited = child.exited;
  }
  writeFileSync(join(dataDir, AGENT_PID_FILE), `${pid}\n`, { mode: 0o600 });
  await waitNodeReady({
    transport: { server: plan.serverUrl, caCertPem, token: readFileSync(join(dataDir, 'admin.token'), 'utf8').trim() },
    nodeName: node.name, startedAt, exited, logFile: join(dataDir, 'agent.log'), err: d.err,
    // the control plane runs on this node: kubeadm's role label (the node may not set it itself)
    onReady: async (client) => { await client.patch(NODES, undefined, node.name, 'merge', { metadata: { labels: { [CONTROL_PLANE_LABEL]: '' } } }); },
  });
  d.err.write(' ready\n');
  return { pid };
}
