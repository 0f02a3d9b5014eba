/**
 * A stand-in node for tests until the real agent exists: registers a Node with capacity and a
 * Ready condition, renews its Lease in kube-node-lease, and drives pods bound to it: Running and
 * Ready at once with an IP from its podCIDR (or Succeeded/Failed when the pod carries the
 * annotation `tinykube.test/exit-code`), and confirms deletions (grace 0) like a kubelet.
 * Speaks only through a RestClient, so it works in process and over HTTPS alike.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { RestClient } from '../../client/rest-client.js';
import { rfc3339, systemClock } from '../../util/clock.js';
import type { Clock } from '../../util/clock.js';

const NODES = findResource('', 'v1', 'nodes')!;
const PODS = findResource('', 'v1', 'pods')!;
const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
export const EXIT_CODE_ANNOTATION = 'tinykube.test/exit-code';

export interface FakeKubeletOptions {
  client: RestClient;
  nodeName: string;
  capacity?: { cpu?: string; memory?: string; pods?: string };
  labels?: Record<string, string>;
  taints?: Taint[];
  leaseRenewMs?: number;
  clock?: Clock;
}

export class FakeKubelet {
  private renewing = true;
  private ipCounter = 2;
  private readonly clock: Clock;
  constructor(private readonly o: FakeKubeletOptions) { this.clock = o.clock ?? systemClock; }

  get name(): string { return this.o.nodeName; }

  async register(): Promise<void> {
    const now = rfc3339(this.clock.now());
    const cap = { cpu: this.o.capacity?.cpu ?? '4', memory: this.o.capacity?.memory ?? '8Gi', pods: this.o.capacity?.pods ?? '110' };
    const node: Node = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: this.name, labels: { 'kubernetes.io/hostname': this.name, 'kubernetes.io/os': 'linux', ...(this.o.labels ?? {}) } },
      spec: { ...(this.o.taints ? { taints: this.o.taints } : {}) },
    };
    await this.o.client.create(NODES, undefined, node as unknown as KubeObject);
    // the node controllers write a new Node at once (podCIDR, taints); the server retries a patch's
    // conflicts a few times, and a loaded etcd run can still run out of them: try again, as client-go's
    // RetryOnConflict would
    for (let attempt = 0; ; attempt++) {
      try {
        await this.patchReadyStatus(now, cap);
        break;
      } catch (err) {
        if (!(isApiError(err) && err.reason === 'Conflict') || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
      }
    }
    await this.renewLease();
  }

  private async patchReadyStatus(now: string, cap: Record<string, string>): Promise<void> {
    await this.o.client.patch(NODES, undefined, this.name, 'merge', {
      status: {
        capacity: cap, allocatable: cap,
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
        addresses: [{ type: 'InternalIP', address: `10.200.0.${this.hashIp()}` }, { type: 'Hostname', address: this.name }],
        nodeInfo: { kubeletVersion: 'v1.32.0-tinykube', containerRuntimeVersion: 'fake://1', osImage: 'fake', kernelVersion: 'fake', operatingSystem: 'linux', architecture: 'amd64', kubeProxyVersion: '', machineID: '', systemUUID: '', bootID: '' },
      },
    }, { subresource: 'status' });
  }

  /** Stop renewing the Lease (the node "dies" for the node lifecycle controller). */
  stopRenewing(): void { this.renewing = false; }

  async run(signal: AbortSignal): Promise<void> {
    // a missed renewal: the next tick renews
    const timer = setInterval(() => { if (this.renewing) void this.renewLease().catch(() => undefined); }, this.o.leaseRenewMs ?? 2000);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    let rv: string | undefined;
    while (!signal.aborted) {
      try {
        const list = await this.o.client.list<Pod & KubeObject>(PODS, undefined, { fieldSelector: `spec.nodeName=${this.name}` });
        for (const p of list.items) await this.sync(p);
        rv = list.resourceVersion;
        for await (const ev of this.o.client.watch<Pod & KubeObject>(PODS, undefined, { resourceVersion: rv, fieldSelector: `spec.nodeName=${this.name}` }, signal)) {
          if (!this.renewing) continue;
          if (ev.type !== 'DELETED') await this.sync(ev.object);
        }
      } catch (err) {
        if (signal.aborted) return;
        if (!(isApiError(err) && err.code === 410)) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private async sync(pod: Pod & KubeObject): Promise<void> {
    if (!this.renewing) return;
    const md = pod.metadata ?? {};
    try {
      if (md.deletionTimestamp) {
        await this.o.client.delete(PODS, md.namespace, md.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: md.uid } });
        return;
      }
      const phase = pod.status?.phase;
      if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') return;
      const now = rfc3339(this.clock.now());
      const exit = md.annotations?.[EXIT_CODE_ANNOTATION];
      const containers = pod.spec?.containers ?? [];
      const done = exit !== undefined;
      const ok = exit === '0';
      const ip = `10.244.${this.hashIp()}.${this.ipCounter++ % 250 + 2}`;
      const cond = (type: string, status: boolean) => ({ type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now });
      await this.o.client.patch(PODS, md.namespace, md.name ?? '', 'merge', {
        status: {
          phase: done ? (ok ? 'Succeeded' : 'Failed') : 'Running', hostIP: '10.200.0.1', podIP: ip, podIPs: [{ ip }], startTime: now,
          conditions: [cond('Initialized', true), cond('Ready', !done), cond('ContainersReady', !done), cond('PodScheduled', true)],
          containerStatuses: containers.map((c) => ({
            name: c.name, image: c.image, imageID: '', containerID: `fake://${md.uid}-${c.name}`, restartCount: 0, ready: !done, started: !done,
            state: done ? { terminated: { exitCode: Number(exit), reason: ok ? 'Completed' : 'Error', startedAt: now, finishedAt: now } } : { running: { startedAt: now } },
          })),
        },
      }, { subresource: 'status' });
    } catch (err) {
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  private async renewLease(): Promise<void> {
    const now = new Date(this.clock.now()).toISOString().replace('Z', '000Z');
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: this.name, leaseDurationSeconds: 40, renewTime: now },
    };
    try {
      await this.o.client.patch(LEASES, 'kube-node-lease', this.name, 'merge', { spec: { holderIdentity: this.name, renewTime: now } });
    } catch (err) {
      if (!(isApiError(err) && err.code === 404)) throw err;
      await this.o.client.create(LEASES, 'kube-node-lease', lease as unknown as KubeObject);
    }
  }

  private hashIp(): number {
    let h = 0;
    for (const c of this.name) h = (h * 31 + c.charCodeAt(0)) % 200;
    return h + 1;
  }
}

/** A registered FakeKubelet per node name (start them with the controllers under test). */
export async function registerFakeKubelets(client: RestClient, nodeNames: readonly string[], opts: Omit<FakeKubeletOptions, 'client' | 'nodeName'> = {}): Promise<FakeKubelet[]> {
  const kubelets = nodeNames.map((nodeName) => new FakeKubelet({ ...opts, client, nodeName }));
  for (const k of kubelets) await k.register();
  return kubelets;
}
