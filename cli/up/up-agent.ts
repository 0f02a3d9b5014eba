/**
 * The node half of `tinykube up`: a serving certificate for the node API signed by the cluster CA
 * (this host holds the CA), the agent as a background process (logs in <data-dir>/agent.log), and
 * a wait until the Node reports Ready. `stopAgent` is the matching half of `down`.
 */
import { spawn } from 'node:child_process';
import { DAEMON_NODE_FLAGS, daemonEnv } from '../daemon-node.js';
import { fchmodSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { readPidFile } from '../daemon-processes.js';
import { join } from 'node:path';
import { findResource } from '../../control/api/resources.js';
import { defaultAdvertiseAddress } from '../../control/control-plane.js';
import { issueServingCert } from '../../control/pki/issue-cert.js';
import { writeFileAtomic } from '../../control/pki/write-file-atomic.js';
import { nodeNameOf } from '../node-name.js';
import { waitNodeReady } from '../node-ready.js';

const NODES = findResource('', 'v1', 'nodes')!;
/** `kubectl get nodes` shows ROLES control-plane for it. */
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

export interface UpAgentOptions {
  dataDir: string; main: string; port: number; runtimeEndpoint: string; err: NodeJS.WritableStream;
  serviceCidr: string; clusterCidr: string;
}

export async function startAgent(o: UpAgentOptions): Promise<{ pid: number; nodeName: string }> {
  const nodeIP = defaultAdvertiseAddress();
  const nodeName = nodeNameOf();
  const pki = join(o.dataDir, 'pki');
  const ca = { caCertPem: readFileSync(join(pki, 'ca.crt'), 'utf8'), caKeyPem: readFileSync(join(pki, 'ca.key'), 'utf8') };
  const serving = await issueServingCert(ca, { commonName: `system:node:${nodeName}`, hosts: [nodeIP, nodeName, '127.0.0.1'] });
  await writeFileAtomic(join(pki, 'kubelet.crt'), serving.certPem, 0o644);
  await writeFileAtomic(join(pki, 'kubelet.key'), serving.keyPem, 0o600);

  const startedAt = Math.floor(Date.now() / 1000) * 1000;
  const logFd = openSync(join(o.dataDir, 'agent.log'), 'a', 0o600);
  fchmodSync(logFd, 0o600); // a log from before may have been created readable by all
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, o.main, 'agent', '--kubeconfig', join(o.dataDir, 'admin.kubeconfig'), '--data-dir', o.dataDir,
    '--node-name', nodeName, '--node-ip', nodeIP, '--runtime-endpoint', o.runtimeEndpoint,
    '--network-mode', 'host', '--service-cidr', o.serviceCidr, '--cluster-cidr', o.clusterCidr], { detached: true, stdio: ['ignore', logFd, logFd], env: daemonEnv() });
  child.unref();
  writeFileSync(join(o.dataDir, 'agent.pid'), `${child.pid}\n`, { mode: 0o600 });
  o.err.write(`Starting the node agent (pid ${child.pid}, logs in ${join(o.dataDir, 'agent.log')})`);

  await waitNodeReady({
    transport: { server: `https://127.0.0.1:${o.port}`, caCertPem: ca.caCertPem, token: readFileSync(join(o.dataDir, 'admin.token'), 'utf8').trim() },
    nodeName, startedAt, exited: () => child.exitCode !== null, logFile: join(o.dataDir, 'agent.log'), err: o.err,
    // the control plane runs on this node: kubeadm's role label (the node may not set it itself)
    onReady: async (client) => { await client.patch(NODES, undefined, nodeName, 'merge', { metadata: { labels: { [CONTROL_PLANE_LABEL]: '' } } }); },
  });
  o.err.write(' ready\n');
  return { pid: child.pid ?? 0, nodeName };
}

export function agentPid(dataDir: string): number | undefined {
  return readPidFile(join(dataDir, 'agent.pid'));
}
