/**
 * `tinykube agent`: flags → buildAgent(...).start() until SIGINT/SIGTERM (DESIGN §2):
 *   --server https://IP:6443 (--token T [--ca-cert F] | --kubeconfig F) [--node-name N] [--node-ip IP]
 *   [--runtime docker|containerd] [--runtime-endpoint URL (wins over --runtime)] [--data-dir D] [--pod-cidr CIDR] [--bridge tk0]
 *   [--cluster-dns IP] [--max-backoff 300s] [--cri-socket PATH (default <data-dir>/cri.sock on Docker; "" disables)]
 *   [--registry-config-path DIR (Docker: pull through the mirrors of DIR/<registry>/hosts.toml, containerd's layout)]
 *   [--container-log-max-size 10Mi] [--container-log-max-files 5] [--container-log-monitor-interval 10s]
 *   (the kubelet's containerLogMaxSize, containerLogMaxFiles, containerLogMonitorInterval: agent/logs/)
 *   [--image-pull-progress-deadline 1m (Docker: cancel a pull without progress for this long; containerd: PullImage's deadline)]
 * Exit codes: 0 stopped by a signal, 1 failure (one line on stderr), 2 usage.
 */
import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from 'pino';
import { RestClient } from '../../control/client/rest-client.js';
import { HttpsTransport } from '../../control/client/transport.js';
import type { HttpsTransportOptions } from '../../control/client/transport.js';
import { renderConflist } from '../../cri/cni/conflist.js';
import { parseRuntimeEndpoint } from '../../cri/endpoint.js';
import { createRuntime } from '../../cri/registry.js';
import type { Runtime } from '../../cri/types.js';
import { containerLogFlags, containerLogManager, type ContainerLogFlags } from './container-log-flags.js';
import { buildAgent } from '../../agent/agent.js';
import { loadKubeconfig } from '../../agent/kubeconfig.js';
import type { CriServer } from '../../agent/cri-server/cri-server.js';
import { startNodeApi } from '../../agent/node-api/node-api.js';
import { NODE_API_PORT } from '../../agent/types.js';
import { NodeNetworking } from '../../agent/node-networking.js';
import { HostMounter, hostMountNamespace } from '../../agent/mounter.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { nthAddress } from '../../control/util/ipv4.js';
import type { NetworkMode } from '../../agent/node-networking.js';
import { chooseRuntimeEndpoint, DEFAULT_DATA_DIR } from '../defaults.js';
import { durationMs, parseFlags, UsageError } from '../flags.js';


/** Network used only until the podCIDR arrives: no pod runs before updateRuntimeConfig. */
const PLACEHOLDER_CIDR = '169.254.254.0/30';

const FLAGS = [
  'server', 'token', 'kubeconfig', 'ca-cert', 'node-name', 'node-ip', 'runtime', 'runtime-endpoint', 'data-dir', 'pod-cidr', 'bridge',
  'cluster-dns', 'max-backoff', 'tls-cert-file', 'tls-private-key-file', 'node-api-port', 'network-mode', 'service-cidr', 'cluster-cidr',
  'cri-socket', 'registry-config-path', 'container-log-max-size', 'container-log-max-files', 'container-log-monitor-interval',
  'image-pull-progress-deadline',
] as const;

export interface AgentFlags {
  transport: HttpsTransportOptions;
  nodeName: string;
  nodeIP: string;
  runtimeEndpoint: string;
  dataDir: string;
  podCidr?: string;
  bridge: string;
  clusterDNS?: string;
  maxBackoffMs?: number;
  /** The node API's serving certificate and key (default <data-dir>/pki/kubelet.crt|key). */
  tlsCertFile: string;
  tlsKeyFile: string;
  nodeApiPort: number;
  /** none (leave the host alone), node (a cluster node netns) or host (`tinykube up`). */
  networkMode: NetworkMode;
  serviceCidr: string;
  /** Docker: registry mirrors in containerd's config_path layout (<dir>/<host>/hosts.toml). */
  registryConfigPath?: string;
  clusterCidr: string;
  /** Where the agent serves CRI v1 for its pods (agent/cri-server); '' serves none (the default on containerd, which has its own). */
  criSocket: string;
  /** Container log rotation (the kubelet's containerLogMaxSize / MaxFiles / MonitorInterval). */
  containerLogs: ContainerLogFlags;
  /** Docker: cancel a pull without progress for this long (default 1 min); containerd: the PullImage deadline (default 10 min). */
  imagePullProgressDeadlineMs?: number;
}

/** The first non-internal IPv4 address of this host. */
export function defaultNodeIP(): string {
  for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

export async function parseAgentFlags(argv: readonly string[]): Promise<AgentFlags> {
  const p = parseFlags(argv, { values: FLAGS });
  if (p.positionals.length > 0) throw new UsageError(`agent takes no arguments, got "${p.positionals[0]}"`);
  const values: Partial<Record<(typeof FLAGS)[number], string>> = {};
  for (const f of FLAGS) { const v = p.flags.get(f); if (typeof v === 'string') values[f] = v; }
  let transport: HttpsTransportOptions;
  if (values.kubeconfig) {
    transport = await loadKubeconfig(values.kubeconfig);
    if (values.server) transport.server = values.server;
    if (values.token) transport.token = values.token;
  } else {
    if (!values.server || !values.token) throw new UsageError('agent needs --server with --token, or --kubeconfig');
    if (!values['ca-cert']) throw new UsageError('agent with --token needs --ca-cert (the cluster CA), or use --kubeconfig');
    transport = { server: values.server, token: values.token, caCertPem: await readFile(values['ca-cert'], 'utf8') };
  }
  const flags: AgentFlags = {
    transport, nodeName: values['node-name'] ?? hostname().toLowerCase(), nodeIP: values['node-ip'] ?? defaultNodeIP(),
    runtimeEndpoint: chooseRuntimeEndpoint({ runtime: values.runtime, runtimeEndpoint: values['runtime-endpoint'] }), dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
    bridge: values.bridge ?? 'tk0',
    tlsCertFile: values['tls-cert-file'] ?? join(values['data-dir'] ?? DEFAULT_DATA_DIR, 'pki', 'kubelet.crt'),
    tlsKeyFile: values['tls-private-key-file'] ?? join(values['data-dir'] ?? DEFAULT_DATA_DIR, 'pki', 'kubelet.key'),
    nodeApiPort: values['node-api-port'] ? Number(values['node-api-port']) : NODE_API_PORT,
    networkMode: (values['network-mode'] ?? 'none') as NetworkMode,
    serviceCidr: values['service-cidr'] ?? '10.96.0.0/12',
    clusterCidr: values['cluster-cidr'] ?? '10.244.0.0/16',
    criSocket: '',
    containerLogs: containerLogFlags(values['container-log-max-size'], values['container-log-max-files'], values['container-log-monitor-interval']),
  };
  const docker = parseRuntimeEndpoint(flags.runtimeEndpoint).kind === 'docker';
  flags.criSocket = values['cri-socket'] ?? (docker ? join(flags.dataDir, 'cri.sock') : '');
  if (flags.networkMode !== 'none' && !flags.clusterDNS) flags.clusterDNS = nthAddress(flags.serviceCidr, 10);
  if (!['none', 'node', 'host'].includes(flags.networkMode)) throw new UsageError(`--network-mode must be none, node or host, not "${flags.networkMode}"`);
  if (!Number.isInteger(flags.nodeApiPort) || flags.nodeApiPort < 0 || flags.nodeApiPort > 65535) throw new UsageError(`--node-api-port: not a port: ${values['node-api-port'] ?? ''}`);
  if (values['pod-cidr']) flags.podCidr = values['pod-cidr'];
  if (values['cluster-dns']) flags.clusterDNS = values['cluster-dns'];
  if (values['max-backoff']) flags.maxBackoffMs = durationMs('max-backoff', values['max-backoff']);
  if (values['registry-config-path']) flags.registryConfigPath = values['registry-config-path'];
  if (values['image-pull-progress-deadline']) {
    flags.imagePullProgressDeadlineMs = durationMs('image-pull-progress-deadline', values['image-pull-progress-deadline']);
    if (flags.imagePullProgressDeadlineMs === 0) throw new UsageError('invalid --image-pull-progress-deadline "0s": must be positive');
  }
  return flags;
}

/**
 * Where the runtime that mounts pod volumes into containers records its pid, for the tmpfs
 * emptyDirs (agent/mounter.ts): dockerd's pid file; none for containerd, whose mount namespace is
 * the host's (pid 1's), or a slave of it that sees the host's mounts.
 */
function runtimePidFiles(endpoint: string): string[] {
  return parseRuntimeEndpoint(endpoint).kind === 'docker' ? ['/var/run/docker.pid'] : [];
}

/** The runtime, on a placeholder network until the agent hands it the podCIDR (updateRuntimeConfig). */
function runtimeFor(f: AgentFlags, log: Logger): Promise<Runtime> {
  // With a network mode the node's own rules let pod traffic through (a cluster node netns has no
  // DROP policy; on the host TK-FORWARD-PODS does it); the CNI firewall plugin's per-pod ACCEPTs
  // would also shadow netproxy's REJECT for services without endpoints.
  const cniTemplate = { name: 'tinykube', bridge: f.bridge, dataDir: join(f.dataDir, 'cni', 'networks'), firewall: f.networkMode === 'none' };
  const conflist = renderConflist({ ...cniTemplate, subnet: f.podCidr ?? PLACEHOLDER_CIDR });
  // eventsRelistMs 0: the PLEG relists every second; a CRI runtime without an event stream is not relisted twice
  return createRuntime(f.runtimeEndpoint, { cni: { conflist }, cniTemplate, stateDir: join(f.dataDir, 'runtime'), scope: f.nodeName, log: log.child({ component: 'cri' }), eventsRelistMs: 0,
    ...(f.registryConfigPath === undefined ? {} : { registryConfigPath: f.registryConfigPath }),
    ...(f.imagePullProgressDeadlineMs === undefined ? {} : { imagePullProgressDeadlineMs: f.imagePullProgressDeadlineMs }) });
}

export async function agentCommand(argv: readonly string[], log: Logger): Promise<number> {
  let f: AgentFlags;
  try {
    f = await parseAgentFlags(argv);
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
  const ac = new AbortController();
  // one signal for every long-lived part of the agent (informers, pod manager, PLEG, node status,
  // networking…): more than Node's default 10 listeners without any leak
  setMaxListeners(64, ac.signal);
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const transport = new HttpsTransport(f.transport);
  try {
    const runtime = await runtimeFor(f, log);
    const client = new RestClient(transport, { fieldManager: 'kubelet' });
    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics });
    const networking = new NodeNetworking({
      mode: f.networkMode, client, nodeName: f.nodeName, nodeIP: f.nodeIP, bridge: f.bridge, serviceCidr: f.serviceCidr,
      clusterCidr: f.clusterCidr, dnsIP: f.clusterDNS ?? nthAddress(f.serviceCidr, 10), log, registry: metrics,
    });
    let networkConfigured = false;
    const logs = containerLogManager({ flags: f.containerLogs, dataDir: f.dataDir, nodeName: f.nodeName }, runtime, log);
    const agent = buildAgent({
      client, runtime, nodeName: f.nodeName, nodeIP: f.nodeIP, dataDir: f.dataDir, log,
      ...(f.podCidr ? { podCidr: f.podCidr } : {}), ...(f.clusterDNS ? { clusterDNS: f.clusterDNS } : {}),
      ...(f.maxBackoffMs !== undefined ? { maxBackoffMs: f.maxBackoffMs } : {}),
      configureNetwork: async (cidr) => { await networking.configure(cidr); networkConfigured = true; },
      nodeApiPort: f.nodeApiPort,
      ...(logs ? { removeContainerLog: (id: string) => logs.clean(id) } : {}),
      mounter: new HostMounter(new ProcessRunner({ timeoutMs: 30_000 }), () => hostMountNamespace(runtimePidFiles(f.runtimeEndpoint))),
    });
    const nodeApi = await startNodeApi({
      host: f.nodeIP, port: f.nodeApiPort, runtime, pods: agent.podLookup, log: log.child({ component: 'node-api' }),
      metrics: async () => ({ contentType: metrics.contentType, body: await metrics.metrics() }),
      tls: { cert: await readFile(f.tlsCertFile, 'utf8'), key: await readFile(f.tlsKeyFile, 'utf8'), ca: f.transport.caCertPem },
    });
    let cri: CriServer | undefined;
    try {
      if (f.criSocket !== '') {
        await runtime.version(); // serve once the runtime answers
        // a debugging interface: the node runs its pods without it (imported only where served:
        // Docker nodes; containerd serves its own)
        const { startCriServer } = await import('../../agent/cri-server/cri-server.js');
        cri = await startCriServer({
          socketPath: f.criSocket, runtime, log: log.child({ component: 'cri-server' }),
          networkStatus: () => (networkConfigured ? { ready: true }
            : { ready: false, reason: 'NetworkPluginNotReady', message: 'cni config uninitialized: the node has no podCIDR yet' }),
        }).catch((err: unknown) => { log.error({ err, socket: f.criSocket }, 'Failed to start the CRI server'); return undefined; });
      }
      await Promise.all([agent.start(ac.signal), networking.run(ac.signal), logs?.run(ac.signal)]);
    } finally {
      await cri?.close();
      await nodeApi.close();
    }
    return 0;
  } catch (err) {
    log.error({ err }, 'Agent failed');
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    transport.close();
  }
}
