/**
 * Registers this node and keeps it current (kubelet's node status manager): capacity from the
 * host, addresses, nodeInfo, daemon endpoint, the four conditions with upstream reasons, images;
 * the status every 10 s and the Lease every 10 s; a heartbeat the server does not answer closes
 * every connection to it (see heartbeat()). Also waits for spec.podCIDR (node IPAM).
 */
import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import type { RestClient } from '../control/client/rest-client.js';
import { sleep } from '../control/util/abort.js';
import { rfc3339 } from '../control/util/clock.js';
import type { Clock } from '../control/util/clock.js';
import { isCriError } from '../cri/errors.js';
import type { Image, Runtime } from '../cri/types.js';
import type { HostInfo } from './host-info.js';
import { renewLease } from './lease.js';
import { NODE_API_PORT } from './types.js';

const NODES = findResource('', 'v1', 'nodes')!;
export const KUBELET_VERSION = 'v1.32.0-tinykube';
const MAX_IMAGES = 50;

export interface NodeHealth { ready: boolean; message?: string }

export interface NodeStatusInputs {
  host: HostInfo;
  nodeIP: string;
  maxPods: number;
  runtimeVersion: string;
  images: Image[];
  health: NodeHealth;
  old?: NodeStatus;
  now: Date;
  /** Port of the node API (default 10250). */
  nodeApiPort?: number;
}

/** PURE: the node status to report. */
export function renderNodeStatus(i: NodeStatusInputs): NodeStatus {
  const cap: Record<string, string> = {
    cpu: String(i.host.cpu), memory: `${Math.floor(i.host.memoryBytes / 1024)}Ki`, pods: String(i.maxPods),
    'hugepages-1Gi': '0', 'hugepages-2Mi': '0',
    ...(i.host.ephemeralStorageBytes ? { 'ephemeral-storage': `${Math.floor(i.host.ephemeralStorageBytes / 1024)}Ki` } : {}),
  };
  const now = rfc3339(i.now);
  const cond = (type: string, ok: boolean, reason: string, message: string): NodeCondition => {
    const status = ok ? 'True' : 'False';
    const prev = i.old?.conditions?.find((c) => c.type === type);
    return { type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
  };
  return {
    capacity: cap, allocatable: { ...cap },
    conditions: [
      cond('MemoryPressure', false, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      i.health.ready ? cond('Ready', true, 'KubeletReady', 'kubelet is posting ready status')
        : cond('Ready', false, 'KubeletNotReady', i.health.message ?? 'kubelet is not ready'),
    ],
    addresses: [{ type: 'InternalIP', address: i.nodeIP }, { type: 'Hostname', address: i.host.hostname }],
    daemonEndpoints: { kubeletEndpoint: { Port: i.nodeApiPort ?? NODE_API_PORT } },
    nodeInfo: {
      machineID: i.host.machineID, systemUUID: i.host.systemUUID, bootID: i.host.bootID, kernelVersion: i.host.kernelVersion,
      osImage: i.host.osImage, containerRuntimeVersion: i.runtimeVersion, kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '',
      operatingSystem: 'linux', architecture: i.host.architecture,
    },
    images: [...i.images].sort((a, b) => b.size - a.size).slice(0, MAX_IMAGES)
      .map((im) => ({ names: [...im.repoDigests, ...im.repoTags], sizeBytes: im.size })).filter((im) => im.names.length > 0),
  };
}

export interface NodeStatusOptions {
  client: RestClient;
  runtime: Runtime;
  nodeName: string;
  nodeIP: string;
  host: HostInfo;
  log: Logger;
  clock: Clock;
  maxPods?: number;
  statusIntervalMs?: number;
  leaseIntervalMs?: number;
  labels?: Record<string, string>;
  /** Annotations the node carries (kept up to date at each registration). */
  annotations?: Record<string, string>;
  nodeApiPort?: number;
  /** How long a heartbeat (status or Lease) may take (default 10 s, the kubelet's with its 10 s status frequency). */
  heartbeatTimeoutMs?: number;
  health(): NodeHealth;
}

/** The kubelet's heartbeat client timeout: min(node status frequency, lease duration) with the defaults. */
export const HEARTBEAT_TIMEOUT_MS = 10_000;

export class NodeStatusManager {
  /** The Node object's uid once registered (mirror pods name it as their owner). */
  uid?: string;
  /** The Node as the API last returned it after a status update (admission reads its labels and allocatable). */
  current?: Node;
  private runtimeVersion = '';

  constructor(private readonly o: NodeStatusOptions) {}

  /** Create the Node (or find it), then post the first status and Lease. */
  async register(): Promise<void> {
    const v = await this.o.runtime.version();
    this.runtimeVersion = `${v.runtimeName}://${v.runtimeVersion}`;
    const node: Node = {
      apiVersion: 'v1', kind: 'Node',
      metadata: {
        name: this.o.nodeName,
        labels: {
          'kubernetes.io/hostname': this.o.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': this.o.host.architecture,
          'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': this.o.host.architecture, ...(this.o.labels ?? {}),
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true', ...(this.o.annotations ?? {}) },
      },
      spec: {},
    };
    try {
      this.uid = (await this.o.client.create<Node & KubeObject>(NODES, undefined, node as KubeObject)).metadata?.uid;
      this.o.log.info('Registered node'); // the kubelet's logger carries the node
    } catch (err) {
      if (!(isApiError(err) && err.code === 409)) throw new Error(`register node ${this.o.nodeName}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      const cur = await this.o.client.get<Node & KubeObject>(NODES, undefined, this.o.nodeName);
      this.uid = cur.metadata?.uid;
      const ann = this.o.annotations ?? {};
      if (Object.entries(ann).some(([k, v]) => cur.metadata?.annotations?.[k] !== v)) {
        await this.o.client.patch(NODES, undefined, this.o.nodeName, 'merge', { metadata: { annotations: ann } });
      }
    }
    await this.updateStatus();
    await renewLease(this.o.client, this.o.nodeName, this.o.clock, this.uid ? { uid: this.uid } : undefined);
  }

  async updateStatus(): Promise<void> {
    const cur = await this.o.client.get<Node & KubeObject>(NODES, undefined, this.o.nodeName);
    const status = renderNodeStatus({
      host: this.o.host, nodeIP: this.o.nodeIP, maxPods: this.o.maxPods ?? 110, runtimeVersion: this.runtimeVersion,
      images: await this.o.runtime.listImages(), health: this.o.health(), old: cur.status, now: this.o.clock.now(), nodeApiPort: this.o.nodeApiPort,
    });
    this.current = await this.o.client.patch<Node & KubeObject>(NODES, undefined, this.o.nodeName, 'merge', { status }, { subresource: 'status' });
  }

  /** spec.podCIDR once the control plane assigned it (polls); undefined when aborted. */
  async waitForPodCidr(signal: AbortSignal, pollMs = 500): Promise<string | undefined> {
    while (!signal.aborted) {
      try {
        const n = await this.o.client.get<Node & KubeObject>(NODES, undefined, this.o.nodeName);
        if (n.spec?.podCIDR) return n.spec.podCIDR;
      } catch (err) {
        this.o.log.warn({ err }, 'Failed to read node for podCIDR');
      }
      await sleep(pollMs, signal);
    }
    return undefined;
  }

  async run(signal: AbortSignal): Promise<void> {
    const loop = async (ms: number, what: string, fn: () => Promise<void>) => {
      while (!signal.aborted) {
        await sleep(ms, signal);
        if (signal.aborted) return;
        try { await fn(); } catch (err) { this.o.log.warn({ err, what }, 'Failed to update node'); }
      }
    };
    await Promise.all([
      loop(this.o.statusIntervalMs ?? 10_000, 'status', () => this.heartbeat('status', () => this.updateStatus())),
      loop(this.o.leaseIntervalMs ?? 10_000, 'lease', () => this.heartbeat('lease', () => renewLease(this.o.client, this.o.nodeName, this.o.clock, this.uid ? { uid: this.uid } : undefined))),
    ]);
  }

  /**
   * One heartbeat, given up after heartbeatTimeoutMs. When the server did not answer (a timeout or
   * a socket error, not a Status nor the runtime's error), every connection to it is closed, as the kubelet's
   * onRepeatedHeartbeatFailure does: on a node cut off from the network, pending requests and
   * watches would otherwise wait on dead sockets for TCP's retransmission backoff (minutes) after
   * the network is back; closed, they fail now, retry, and dial anew as soon as it returns.
   */
  private async heartbeat(what: string, fn: () => Promise<void>): Promise<void> {
    const ms = this.o.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} heartbeat: no answer from the API server in ${ms} ms`)), ms);
    });
    try {
      await Promise.race([fn(), timeout]); // a request left behind fails when its socket is closed; race has its handler
    } catch (err) {
      if (!isApiError(err) && !isCriError(err)) this.o.client.transport.closeAllConnections?.(); // the runtime's failures are no sign of the network's
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
