/**
 * The node agent's kubelet core, wired: node registration and status, Lease, podCIDR wait and
 * network setup, pod manager with one worker per pod, PLEG, probes, static pods. Built by a
 * factory, started separately; start() runs until the signal aborts.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { EventRecorder } from '../control/client/events.js';
import { ListWatchInformer } from '../control/client/informer.js';
import type { RestClient } from '../control/client/rest-client.js';
import { systemClock } from '../control/util/clock.js';
import type { Clock } from '../control/util/clock.js';
import type { Runtime } from '../cri/types.js';
import { ProcessRunner } from '../lib/exec/process-runner.js';
import { admissionNodeOf } from './admission.js';
import { Backoff } from './backoff.js';
import { readHostInfo } from './host-info.js';
import type { HostInfo } from './host-info.js';
import { ImagePuller } from './image-puller.js';
import { HostMounter, hostMountNamespace } from './mounter.js';
import type { Mounter } from './mounter.js';
import { NodeStatusManager } from './node-status.js';
import { Pleg } from './pleg.js';
import { PodManager } from './pod-manager.js';
import { PodSyncer } from './pod-sync.js';
import { ProberManager } from './probes/prober-manager.js';
import { RuntimeGarbageCollector } from './runtime-gc.js';
import { StaticPodSource } from './static-pods.js';
import { StatusWriter } from './status-writer.js';
import { TokenManager } from './token-manager.js';
import type { PodLookup } from './types.js';
import { ANN_LOCAL_PATH_ROOT } from '../control/api/storage-names.js';
import { localPathRoot } from './claim-volumes.js';
import { LocalPathCleaner } from './local-path-cleaner.js';

const PLEG_UNHEALTHY_MS = 3 * 60 * 1000;
const SERVICES = findResource('', 'v1', 'services')!;

export interface AgentOptions {
  client: RestClient;
  runtime: Runtime;
  nodeName: string;
  nodeIP: string;
  dataDir: string;
  log: Logger;
  clock?: Clock;
  /** Known podCIDR: skips waiting for the control plane's IPAM. */
  podCidr?: string;
  /** Called once with the podCIDR before any pod runs (the node's routes and rules); the runtime gets it next, by updateRuntimeConfig. */
  configureNetwork?(podCidr: string): Promise<void>;
  /** Wait for spec.podCIDR before running pods (default: when configureNetwork is given). */
  waitForPodCidr?: boolean;
  /** Default <dataDir>/manifests. */
  staticPodDir?: string;
  /** CrashLoopBackOff cap (default 300 s); the first delay is min(10 s, cap). */
  maxBackoffMs?: number;
  /** Image pull backoff cap (default 300 s). */
  imageBackoffMaxMs?: number;
  clusterDNS?: string;
  maxPods?: number;
  labels?: Record<string, string>;
  /** Host facts (tests inject them); default read from /proc, /etc and node:os. */
  host?: HostInfo;
  relistMs?: number;
  /** How often local-path volume directories of deleted PVs are looked for (default 10 s). */
  localPathCleanupMs?: number;
  resyncMs?: number;
  statusIntervalMs?: number;
  leaseIntervalMs?: number;
  staticPodCheckMs?: number;
  /** The length of a probe "second" (tests shorten it). */
  probeSecondMs?: number;
  /** Port the node API listens on, reported in status.daemonEndpoints (default 10250). */
  nodeApiPort?: number;
  /** Host mounts for tmpfs emptyDirs (default: HostMounter, in pid 1's mount namespace). */
  mounter?: Mounter;
  /** Whole-runtime garbage collection passes (default 60 s) and the first retry of a failed removal (default 1 s). */
  gcPeriodMs?: number;
  gcRetryInitialMs?: number;
  /** The container log manager's removal of a container's logs, before the GC removes the container. */
  removeContainerLog?(containerId: string): Promise<void>;
}

export interface Agent {
  /** Register, wait for the network, run everything until the signal aborts. */
  start(signal: AbortSignal): Promise<void>;
  podLookup: PodLookup;
}

export function buildAgent(opts: AgentOptions): Agent {
  const clock = opts.clock ?? systemClock;
  const log = opts.log.child({ component: 'kubelet', node: opts.nodeName });
  const recorder = new EventRecorder({ client: opts.client, component: 'kubelet', host: opts.nodeName, log, clock });
  const statusWriter = new StatusWriter({ client: opts.client, log });
  let manager: PodManager | undefined;
  const prober = new ProberManager({ runtime: opts.runtime, events: recorder, log, secondMs: opts.probeSecondMs, onChange: (uid) => manager?.wake(uid) });
  const maxBackoff = opts.maxBackoffMs ?? 300_000;
  const crashBackoff = new Backoff({ initialMs: 10_000, maxMs: maxBackoff, clock });
  const imageBackoff = new Backoff({ initialMs: 10_000, maxMs: opts.imageBackoffMaxMs ?? 300_000, clock });
  const lazyLookup: PodLookup = {
    containerId: (ns, pod, c, o) => manager ? manager.containerId(ns, pod, c, o) : Promise.resolve(undefined),
    sandboxId: (ns, pod) => manager ? manager.sandboxId(ns, pod) : Promise.resolve(undefined),
  };

  async function start(signal: AbortSignal): Promise<void> {
    const host = opts.host ?? await readHostInfo(opts.dataDir);
    const v = await opts.runtime.version();
    let networkReady = !opts.configureNetwork && !opts.waitForPodCidr;
    const pleg = new Pleg({ runtime: opts.runtime, relistMs: opts.relistMs ?? 1000, log, onPodChange: (uid) => manager?.wake(uid) });
    const started = Date.now();
    const node = new NodeStatusManager({
      client: opts.client, runtime: opts.runtime, nodeName: opts.nodeName, nodeIP: opts.nodeIP, host, log, clock,
      maxPods: opts.maxPods, statusIntervalMs: opts.statusIntervalMs, leaseIntervalMs: opts.leaseIntervalMs, labels: opts.labels, nodeApiPort: opts.nodeApiPort,
      annotations: { [ANN_LOCAL_PATH_ROOT]: localPathRoot(opts.dataDir) },
      health: () => {
        if (!networkReady) return { ready: false, message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized' };
        const last = pleg.lastRelistOk || started;
        if (Date.now() - last > PLEG_UNHEALTHY_MS) return { ready: false, message: `PLEG is not healthy: pleg was last seen active ${Math.round((Date.now() - last) / 1000)}s ago; threshold is 3m0s` };
        return { ready: true };
      },
    });
    await node.register();
    const nodeLoops = node.run(signal);
    if (!networkReady) {
      const cidr = opts.podCidr ?? await node.waitForPodCidr(signal);
      if (cidr === undefined) { await nodeLoops; return; }
      log.info({ podCidr: cidr }, 'Got pod CIDR');
      await opts.configureNetwork?.(cidr);
      await opts.runtime.updateRuntimeConfig({ networkConfig: { podCidr: cidr } });
      networkReady = true;
      await node.updateStatus().catch((err: unknown) => log.warn({ err }, 'Failed to update node status'));
    }
    // the kubelet's service lister: every service, for the containers' service variables
    const services = new ListWatchInformer<Service & KubeObject>({ client: opts.client, ri: SERVICES, log, retryDelayMs: 1000 });
    const serviceLoop = services.run(signal);
    const gc = new RuntimeGarbageCollector({
      runtime: opts.runtime, log: log.child({ subcomponent: 'gc' }), clock, livePods: () => manager?.livePods(),
      periodMs: opts.gcPeriodMs, retryInitialMs: opts.gcRetryInitialMs,
      ...(opts.removeContainerLog ? { removeContainerLog: opts.removeContainerLog } : {}),
    });
    const syncer = new PodSyncer({
      client: opts.client, runtime: opts.runtime, events: recorder, prober, clock, log, gc,
      puller: new ImagePuller({ runtime: opts.runtime, events: recorder, backoff: imageBackoff, clock }),
      crashBackoff, dataDir: opts.dataDir, nodeIP: opts.nodeIP, runtimeName: v.runtimeName, clusterDNS: opts.clusterDNS,
      nodeAllocatable: { cpu: host.cpu, memory: host.memoryBytes },
      services: { hasSynced: () => services.hasSynced(), list: () => services.cache.list() },
      tokens: new TokenManager({ client: opts.client, clock, log }),
      mounter: opts.mounter ?? new HostMounter(new ProcessRunner({ timeoutMs: 30_000 }), hostMountNamespace),
    });
    // upstream getNodeAnyWay: the Node as last returned by the API, else what this node knows of itself
    const admissionNode = () => node.current?.status?.allocatable ? admissionNodeOf(node.current)
      : { name: opts.nodeName, labels: node.current?.metadata?.labels ?? {}, allocatable: { milliCpu: host.cpu * 1000, memory: host.memoryBytes, pods: opts.maxPods ?? 110 } };
    const m = new PodManager({
      client: opts.client, runtime: opts.runtime, syncer, statusWriter, nodeName: opts.nodeName, log, resyncMs: opts.resyncMs ?? 10_000,
      admissionNode, events: recorder,
    });
    manager = m;
    const statics = new StaticPodSource({
      dir: opts.staticPodDir ?? join(opts.dataDir, 'manifests'), nodeName: opts.nodeName, client: opts.client, sink: m, log, clock,
      checkMs: opts.staticPodCheckMs ?? 20_000, nodeUid: () => node.uid,
    });
    await statics.load().catch((err: unknown) => log.warn({ err }, 'Failed to read static pod manifests'));
    log.info({ runtime: `${v.runtimeName}://${v.runtimeVersion}` }, 'Started kubelet');
    await Promise.all([
      nodeLoops,
      serviceLoop,
      m.run(signal),
      pleg.run(signal),
      gc.run(signal),
      new LocalPathCleaner({ client: opts.client, root: localPathRoot(opts.dataDir), log, periodMs: opts.localPathCleanupMs }).run(signal),
      (async () => {
        if (signal.aborted || !(await m.informer.waitForSync(signal))) return;
        await statics.syncMirrors();
        await statics.run(signal);
      })(),
    ]);
  }

  return { start, podLookup: lazyLookup };
}
