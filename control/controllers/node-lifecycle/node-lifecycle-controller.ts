/**
 * Node lifecycle controller (upstream pkg/controller/nodelifecycle): every nodeMonitorPeriod it
 * looks at each Node's heartbeats (its Lease in kube-node-lease and its Ready condition); a node
 * silent for nodeMonitorGracePeriod gets Ready/MemoryPressure/DiskPressure/PIDPressure Unknown
 * ("Kubelet stopped posting node status."). Taints follow the conditions: not-ready / unreachable
 * NoExecute (timeAdded) and NoSchedule, pressure and cordon NoSchedule; they go when the node is
 * healthy again. Pods of a node that is not Ready are marked Ready=False (MarkPodsNotReady). When
 * every node is down, NoExecute taints are withheld (upstream's full-disruption mode) so a
 * control-plane network cut does not evict everything. Eviction itself is TaintEvictionController.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import { rfc3339 } from '../../util/clock.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { NodeHealthTracker, unknownConditions } from './node-health.js';
import { POD_NODE_INDEX, TaintEvictionController } from './taint-eviction.js';
import { conditionStatus, reconcileTaints } from './taints.js';
import { sleep } from '../../util/abort.js';

const NODES = findResource('', 'v1', 'nodes')!;
const PODS = findResource('', 'v1', 'pods')!;
const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
const LEASE_NAMESPACE = 'kube-node-lease';

export class NodeLifecycleController implements Runnable {
  private readonly nodes: Informer<Node & KubeObject>;
  private readonly pods: Informer<Pod & KubeObject>;
  private readonly leases: Informer<Lease & KubeObject>;
  private readonly health = new NodeHealthTracker();
  private readonly lastReady = new Map<string, string | undefined>();
  private readonly recorder: EventRecorder;
  private disrupted = false;
  readonly eviction: TaintEvictionController;

  constructor(private readonly ctx: ControllerContext) {
    this.nodes = ctx.informers.for<Node & KubeObject>(NODES);
    this.pods = ctx.informers.for<Pod & KubeObject>(PODS);
    this.leases = ctx.informers.for<Lease & KubeObject>(LEASES);
    this.pods.addIndex(POD_NODE_INDEX, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    this.recorder = ctx.recorder('node-controller');
    this.eviction = new TaintEvictionController(ctx, { pods: this.pods, nodes: this.nodes });
  }

  async run(signal: AbortSignal): Promise<void> {
    for (const inf of [this.nodes, this.pods, this.leases]) if (!(await inf.waitForSync(signal))) return;
    const evicting = this.eviction.run(signal);
    this.ctx.log.info({ periodMs: this.ctx.options.nodeMonitorPeriodMs, graceMs: this.ctx.options.nodeMonitorGracePeriodMs }, 'Started node lifecycle controller');
    while (!signal.aborted) {
      try {
        await this.monitorOnce();
      } catch (err) {
        if (signal.aborted) break;
        this.ctx.log.warn({ err }, 'Node health pass failed; retrying next period');
      }
      await sleep(this.ctx.options.nodeMonitorPeriodMs, signal);
    }
    await evicting;
  }

  /** One pass over every node (upstream monitorNodeHealth). */
  async monitorOnce(): Promise<void> {
    const now = this.ctx.clock.now();
    const nodes = this.nodes.cache.list();
    const live = new Set(nodes.map((n) => n.metadata?.name ?? ''));
    for (const name of this.health.names()) if (!live.has(name)) { this.health.forget(name); this.lastReady.delete(name); }

    const current: Array<Node & KubeObject> = [];
    for (const node of nodes) current.push(await this.updateHealth(node, now).catch((err: unknown) => this.failed(err, node)));

    const allDown = current.length > 0 && current.every((n) => conditionStatus(n, 'Ready') !== 'True');
    if (allDown !== this.disrupted) {
      this.disrupted = allDown;
      if (allDown) this.ctx.log.warn('Controller detected that all Nodes are not-Ready. Entering master disruption mode');
      else this.ctx.log.info('Controller detected that some Nodes are Ready. Exiting master disruption mode');
    }
    for (const node of current) {
      const name = node.metadata?.name ?? '';
      await this.syncTaints(node, now, !allDown).catch((err: unknown) => this.failed(err, node));
      const ready = conditionStatus(node, 'Ready');
      const prev = this.lastReady.get(name);
      if (this.lastReady.has(name) && prev !== ready) {
        if (prev === 'True') this.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        if (ready === 'True') this.recorder.event(node, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
      }
      this.lastReady.set(name, ready);
      if (ready !== 'True') await this.markPodsNotReady(name, now);
    }
    this.eviction.resync();
  }

  /** Set the kubelet's conditions Unknown when the node has been silent too long. */
  private async updateHealth(node: Node & KubeObject, now: Date): Promise<Node & KubeObject> {
    const name = node.metadata?.name ?? '';
    const probeAt = this.health.observe(node, this.leases.cache.get(`${LEASE_NAMESPACE}/${name}`), now.getTime());
    if (now.getTime() - probeAt <= this.ctx.options.nodeMonitorGracePeriodMs) return node;
    const conditions = unknownConditions(node, now);
    if (!conditions) return node;
    const next: Node & KubeObject = { ...structuredClone(node), status: { ...node.status, conditions } };
    const written = await this.ctx.client.update<Node & KubeObject>(NODES, next, { subresource: 'status' });
    this.ctx.log.info({ node: name, silentMs: now.getTime() - probeAt }, 'Node stopped posting status; conditions set Unknown');
    // our own write does not count as a heartbeat (lastHeartbeatTime is kept)
    this.health.observe(written, this.leases.cache.get(`${LEASE_NAMESPACE}/${name}`), probeAt);
    return written;
  }

  private async syncTaints(node: Node & KubeObject, now: Date, noExecute: boolean): Promise<void> {
    const taints = reconcileTaints(node, { now, noExecute });
    if (!taints) return;
    const next = structuredClone(node);
    next.spec = { ...next.spec, taints };
    if (taints.length === 0) delete next.spec.taints;
    await this.ctx.client.update(NODES, next);
    this.ctx.log.info({ node: node.metadata?.name, taints: taints.map((t) => `${t.key}:${t.effect}`) }, 'Updated node taints');
  }

  /** Upstream MarkPodsNotReady: the pods of a node that is not Ready are not ready either. */
  private async markPodsNotReady(nodeName: string, now: Date): Promise<void> {
    for (const pod of this.pods.cache.byIndex(POD_NODE_INDEX, nodeName)) {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False' || pod.spec?.nodeName !== nodeName) continue;
      const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: rfc3339(now) } : c));
      const next: Pod & KubeObject = { ...structuredClone(pod), status: { ...structuredClone(pod.status), conditions } };
      try {
        await this.ctx.client.update(PODS, next, { subresource: 'status' });
        this.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        // gone or changed meanwhile: the next pass looks again
        if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw new Error(`mark pod ${keyOf(pod)} not ready`, { cause: err });
      }
    }
  }

  private failed(err: unknown, node: Node & KubeObject): Node & KubeObject {
    if (!(isApiError(err) && (err.code === 404 || err.code === 409))) this.ctx.log.warn({ err, node: node.metadata?.name }, 'Failed to update node; retrying next period');
    return node;
  }
}

export function createNodeLifecycleController(ctx: ControllerContext): Runnable {
  return new NodeLifecycleController(ctx);
}
