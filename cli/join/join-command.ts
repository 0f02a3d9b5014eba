/**
 * `tinykube join https://IP:6443 --token T|--token-file F --ca-cert-hash sha256:… [--node-name N]
 * [--node-ip IP] [--data-dir D] [--discovery-timeout 30s] [--foreground] [--runtime docker|containerd] [agent flags]`: kubeadm
 * join for a tinykube node; the token may also come from $TINYKUBE_TOKEN (a token on the command
 * line is visible to every user in `ps`: tinykube's own tooling passes it in the environment). Discovery
 * (cluster-info, signed with the token, CA pinned), TLS bootstrap (a client certificate as
 * system:node:<name>, then the Node registered with its addresses and the node API's serving
 * certificate for them), a kubeconfig with the node's own
 * credentials, then the agent: in the background (logs in <data-dir>/agent.log) until the Node is
 * Ready, or in this process with --foreground.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseToken, formatToken } from '../../control/bootstrap-token/token.js';
import { RestClient } from '../../control/client/rest-client.js';
import { HttpsTransport } from '../../control/client/transport.js';
import type { HttpsTransportOptions } from '../../control/client/transport.js';
import { discover } from '../../control/join/discovery.js';
import { requestCertificate } from '../../control/join/tls-bootstrap.js';
import { renderKubeconfig } from '../../control/pki/kubeconfig.js';
import { writeFileAtomic } from '../../control/pki/write-file-atomic.js';
import { createLogger } from '../../control/util/log.js';
import { defaultHostAddress } from '../../control/util/host-address.js';
import { NODE_API_PORT } from '../../agent/types.js';
import { AGENT_NODE_FLAGS } from '../daemon-node.js';
import { spawnDetached } from '../daemon-processes.js';
import { nodeNetworkOf, recordNodeNetwork } from '../node-network-record.js';
import type { NodeNetwork } from '../node-network-record.js';
import { AGENT_PID_FILE, AGENT_STOP_GRACE_MS, findNodeProcesses, stopNodeProcesses } from '../node-processes.js';
import { NODE_API_PORT_HINT } from '../port-holder.js';
import { portOwner } from '../up/up-control-plane.js';
import { bool, durationMs, parseFlags, str, UsageError } from '../flags.js';
import { NODE_NAME_FILE } from '../node-name.js';
import { recordRuntimeEndpoint } from '../node-runtime.js';
import { waitNodeReady } from '../node-ready.js';
import { registerNode } from './register-node.js';

/** Agent flags `join` passes through unchanged. */
export const AGENT_PASSTHROUGH = ['runtime', 'runtime-endpoint', 'network-mode', 'service-cidr', 'cluster-cidr', 'cluster-dns', 'bridge', 'node-api-port', 'max-backoff'] as const;

import type { IoStreams } from '../io-streams.js';
import { chooseRuntimeEndpoint, DEFAULT_DATA_DIR } from '../defaults.js';

export interface JoinPlan {
  server: string;
  token: string;
  caCertHashes: string[];
  unsafeSkipCaVerification: boolean;
  nodeName: string;
  nodeIP: string;
  dataDir: string;
  foreground: boolean;
  /** How long discovery waits for cluster-info signed for the token (--discovery-timeout, default 30s). */
  discoveryTimeoutMs: number;
  /** The node's runtime (--runtime, --runtime-endpoint), recorded for `down` and `crictl`. */
  runtimeEndpoint: string;
  /** The agent's flags after --kubeconfig (which join writes). */
  agentArgs: string[];
  /** The node's network (--network-mode, default host; --bridge), recorded for `down`. */
  network: NodeNetwork;
  /** Where the node API listens (--node-api-port, default 10250), checked free before the agent starts. */
  nodeApiPort: number;
}

/** The environment variable `join` reads the bootstrap token from when no flag gives it. */
export const TOKEN_ENV = 'TINYKUBE_TOKEN';

/** PURE but for the host defaults and --token-file. The join's flags, checked. */
export function parseJoinArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): JoinPlan {
  const p = parseFlags(argv, {
    values: ['token', 'token-file', 'ca-cert-hash', 'discovery-token-ca-cert-hash', 'discovery-timeout', 'node-name', 'node-ip', 'data-dir', ...AGENT_PASSTHROUGH],
    booleans: ['foreground', 'discovery-token-unsafe-skip-ca-verification'],
  });
  const [target, ...extra] = p.positionals;
  if (target === undefined) throw new UsageError('join needs the API server address: tinykube join https://IP:6443 --token T --ca-cert-hash sha256:…');
  if (extra.length > 0) throw new UsageError(`join takes one address, got also "${extra[0]}"`);
  const server = /^https:\/\//.test(target) ? target : /^[a-z]+:\/\//.test(target) ? '' : `https://${target}`;
  if (server === '') throw new UsageError(`the API server address must be https://host:port, not "${target}"`);
  try { new URL(server); } catch { throw new UsageError(`not an address: "${target}"`); }
  const token = tokenOf(str(p, 'token'), str(p, 'token-file'), env[TOKEN_ENV]);
  const hashes = [str(p, 'ca-cert-hash'), str(p, 'discovery-token-ca-cert-hash')].filter((h): h is string => h !== undefined);
  for (const h of hashes) if (!/^sha256:[0-9a-f]{64}$/.test(h)) throw new UsageError(`--ca-cert-hash: "${h}" is not sha256:<64 hex digits>`);
  const unsafe = bool(p, 'discovery-token-unsafe-skip-ca-verification');
  if (hashes.length === 0 && !unsafe) throw new UsageError('--ca-cert-hash is required (or --discovery-token-unsafe-skip-ca-verification)');
  const nodeName = (str(p, 'node-name') ?? hostname()).toLowerCase();
  const nodeIP = str(p, 'node-ip') ?? defaultHostAddress();
  const dataDir = str(p, 'data-dir', DEFAULT_DATA_DIR);
  // a bad one is refused here, not later in the agent's log
  const runtimeEndpoint = chooseRuntimeEndpoint({ runtime: str(p, 'runtime'), runtimeEndpoint: str(p, 'runtime-endpoint') });
  const agentArgs = ['--data-dir', dataDir, '--node-name', nodeName, '--node-ip', nodeIP];
  for (const f of AGENT_PASSTHROUGH) { const v = str(p, f); if (v !== undefined) agentArgs.push(`--${f}`, v); }
  if (str(p, 'network-mode') === undefined) agentArgs.push('--network-mode', 'host'); // a joined machine is a full node
  const network = nodeNetworkOf(str(p, 'network-mode'), str(p, 'bridge'));
  const apiPortText = str(p, 'node-api-port');
  const nodeApiPort = apiPortText === undefined ? NODE_API_PORT : Number(apiPortText);
  if (!Number.isInteger(nodeApiPort) || nodeApiPort < 1 || nodeApiPort > 65535) throw new UsageError(`--node-api-port: not a port: "${apiPortText ?? ''}"`);
  const timeout = str(p, 'discovery-timeout', '30s');
  const discoveryTimeoutMs = durationMs('discovery-timeout', timeout);
  return { server, token, caCertHashes: hashes, unsafeSkipCaVerification: unsafe, nodeName, nodeIP, dataDir, foreground: bool(p, 'foreground'), discoveryTimeoutMs, runtimeEndpoint, agentArgs, network, nodeApiPort };
}

/** The token from --token, else --token-file, else $TINYKUBE_TOKEN; checked, never echoed. */
function tokenOf(flag: string | undefined, file: string | undefined, fromEnv: string | undefined): string {
  if (flag !== undefined && file !== undefined) throw new UsageError('--token and --token-file are mutually exclusive');
  let token = flag;
  let source = '--token';
  if (token === undefined && file !== undefined) {
    try { token = readFileSync(file, 'utf8').trim(); } catch (err) { throw new UsageError(`--token-file: ${err instanceof Error ? err.message : String(err)}`); }
    source = '--token-file';
  }
  if (token === undefined && fromEnv !== undefined && fromEnv !== '') { token = fromEnv.trim(); source = `$${TOKEN_ENV}`; }
  if (token === undefined) throw new UsageError(`--token, --token-file or $${TOKEN_ENV} is required (tinykube token create on the control plane prints one)`);
  if (!parseToken(token)) throw new UsageError(`${source}: the bootstrap token does not match the pattern [a-z0-9]{6}.[a-z0-9]{16}`);
  return token;
}

/** Discovery and TLS bootstrap; writes <data-dir>/kubelet.kubeconfig and pki/kubelet.{crt,key}. Returns the kubeconfig path. */
export async function bootstrapNode(plan: JoinPlan, io: IoStreams): Promise<{ kubeconfig: string; transport: HttpsTransportOptions }> {
  const token = parseToken(plan.token)!;
  io.err.write(`[discovery] Reading cluster-info from ${plan.server}\n`);
  const info = await discover({ server: plan.server, token, caCertHashes: plan.caCertHashes, unsafeSkipCaVerification: plan.unsafeSkipCaVerification, timeoutMs: plan.discoveryTimeoutMs });
  io.err.write(`[discovery] Cluster info signature and contents are valid${plan.caCertHashes.length > 0 ? ' and the CA matches the pinned hash' : ''}; API server ${info.server}\n`);
  const subject = { commonName: `system:node:${plan.nodeName}`, organizations: ['system:nodes'] };
  const client = await requestCertificate({
    transport: { server: info.server, caCertPem: info.caCertPem, token: formatToken(token) },
    signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], ...subject,
  });
  io.err.write(`[tls-bootstrap] Client certificate for ${subject.commonName} issued (${client.csrName})\n`);
  mkdirSync(plan.dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(join(plan.dataDir, 'pki'), { recursive: true, mode: 0o700 });
  const kubeconfig = join(plan.dataDir, 'kubelet.kubeconfig');
  await writeFileAtomic(kubeconfig, renderKubeconfig({ server: info.server, caCertPem: info.caCertPem, user: subject.commonName, clientCertPem: client.certPem, clientKeyPem: client.keyPem }), 0o600);
  const transport = { server: info.server, caCertPem: info.caCertPem, clientCertPem: client.certPem, clientKeyPem: client.keyPem };
  const asNode = new HttpsTransport(transport);
  try {
    await registerNode(new RestClient(asNode), { nodeName: plan.nodeName, nodeIP: plan.nodeIP });
  } finally {
    asNode.close();
  }
  io.err.write(`[kubelet-start] Registered node ${plan.nodeName} with address ${plan.nodeIP}\n`);
  const serving = await requestCertificate({
    transport, signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'], ...subject,
    sans: [{ type: 'ip', value: plan.nodeIP }, { type: 'dns', value: plan.nodeName }],
  });
  await writeFileAtomic(join(plan.dataDir, 'pki', 'kubelet.crt'), serving.certPem, 0o644);
  await writeFileAtomic(join(plan.dataDir, 'pki', 'kubelet.key'), serving.keyPem, 0o600);
  io.err.write(`[tls-bootstrap] Serving certificate for the node API issued (${serving.csrName})\n`);
  return { kubeconfig, transport };
}

export async function joinCommand(argv: readonly string[], io: IoStreams): Promise<number> {
  const plan = parseJoinArgs(argv);
  delete process.env[TOKEN_ENV]; // the agent's children (CNI plugins, iptables) need not see it
  // joining again replaces the data dir's agent (kubeadm restarts the kubelet): one agent afterwards.
  // The node API's port may be held by that agent, by nothing else (checked before anything changes).
  const old = findNodeProcesses(plan.dataDir).filter((x) => x.role === 'agent');
  portOwner(plan.nodeIP, plan.nodeApiPort, old, NODE_API_PORT_HINT);
  const { kubeconfig, transport } = await bootstrapNode(plan, io);
  if (old.length > 0) {
    io.err.write(`[agent] Stopping the node agent running for ${plan.dataDir} (pid ${old.map((x) => x.pid).join(', ')})\n`);
    await stopNodeProcesses(old, plan.dataDir, AGENT_STOP_GRACE_MS);
  }
  portOwner(plan.nodeIP, plan.nodeApiPort, [], NODE_API_PORT_HINT);
  writeFileSync(join(plan.dataDir, NODE_NAME_FILE), `${plan.nodeName}\n`, { mode: 0o600 }); // for `tinykube down`
  recordRuntimeEndpoint(plan.dataDir, plan.runtimeEndpoint);
  recordNodeNetwork(plan.dataDir, plan.network);
  const agentArgs = ['--kubeconfig', kubeconfig, ...plan.agentArgs];
  if (plan.foreground) {
    io.err.write('[agent] Starting the node agent in the foreground\n');
    return (await import('../agent/agent-command.js')).agentCommand(agentArgs, createLogger({ name: 'tinykube-agent' }));
  }
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const logFile = join(plan.dataDir, 'agent.log');
  const startedAt = Math.floor(Date.now() / 1000) * 1000;
  const child = spawnDetached(process.execPath, [...AGENT_NODE_FLAGS, main, 'agent', ...agentArgs], logFile);
  writeFileSync(join(plan.dataDir, AGENT_PID_FILE), `${child.pid}\n`, { mode: 0o600 });
  io.err.write(`[agent] Starting the node agent (pid ${child.pid}, logs in ${logFile})`);
  await waitNodeReady({ transport, nodeName: plan.nodeName, startedAt, exited: child.exited, logFile, err: io.err });
  io.err.write(' ready\n');
  io.out.write([
    '', 'This node has joined the cluster:',
    '* Certificate signing request was sent to apiserver and a response was received.',
    '* The agent was informed of the new secure connection details.', '',
    "Run 'kubectl get nodes' on the control-plane to see this node join the cluster.", '',
  ].join('\n'));
  return 0;
}
