/**
 * Taint-based eviction (upstream NoExecuteTaintManager, the taint-eviction-controller): a pod on
 * a node with a NoExecute taint it does not tolerate is deleted at once; one it tolerates for
 * tolerationSeconds is deleted when that time has passed since the taint was added (timeAdded);
 * one it tolerates forever stays. Level-based per pod: the deadline is recomputed from the cache
 * each time and the key requeued for it, so removing the taint in time cancels the eviction.
 */
import type { Node, Pod, PodCondition, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import { rfc3339 } from '../../util/clock.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { evictionTime } from './taints.js';

const PODS = findResource('', 'v1', 'pods')!;
export const POD_NODE_INDEX = 'node-lifecycle/node';

const hasNoExecute = (n: Node) => (n.spec?.taints ?? []).some((t) => t.effect === 'NoExecute');

class EvictionReconciler implements Reconciler {
  private readonly recorder;
  /** When a taint without timeAdded was first seen (node/key/value -> ms). */
  private readonly firstSeen = new Map<string, number>();
  /** Pods with an eviction pending, to report a cancellation. */
  private readonly scheduled = new Set<ObjectKey>();

  constructor(private readonly ctx: ControllerContext, private readonly pods: Informer<Pod & KubeObject>, private readonly nodes: Informer<Node & KubeObject>) {
    this.recorder = ctx.recorder('taint-eviction-controller');
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const pod = this.pods.cache.get(key);
    if (!pod || pod.metadata?.deletionTimestamp || !pod.spec?.nodeName) { this.scheduled.delete(key); return; }
    const node = this.nodes.cache.get(pod.spec.nodeName);
    const now = this.ctx.clock.now().getTime();
    const at = node ? evictionTime(pod, node.spec?.taints ?? [], (t) => this.since(node, t, now)) : undefined;
    if (at === undefined) {
      if (this.scheduled.delete(key)) this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
      return;
    }
    if (at > now) { this.scheduled.add(key); return { requeueAfterMs: at - now }; }
    await this.evict(pod, key);
    this.scheduled.delete(key);
  }

  private since(node: Node, t: Taint, now: number): number {
    const added = t.timeAdded ? Date.parse(t.timeAdded) : NaN;
    if (!Number.isNaN(added)) return added;
    const k = `${node.metadata?.name ?? ''}/${t.key}/${t.value ?? ''}`;
    const seen = this.firstSeen.get(k);
    if (seen !== undefined) return seen;
    this.firstSeen.set(k, now);
    return now;
  }

  private async evict(pod: Pod & KubeObject, key: ObjectKey): Promise<void> {
    const md = pod.metadata ?? {};
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    try {
      const cond: PodCondition = {
        type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(this.ctx.clock.now()),
      };
      if (!pod.status?.conditions?.some((c) => c.type === cond.type && c.status === 'True')) {
        const conditions = [...structuredClone(pod.status?.conditions ?? []).filter((c) => c.type !== cond.type), cond];
        const next: Pod & KubeObject = { ...structuredClone(pod), status: { ...structuredClone(pod.status), conditions } };
        await this.ctx.client.update(PODS, next, { subresource: 'status' });
      }
      await this.ctx.client.delete(PODS, md.namespace, md.name ?? '', { preconditions: { uid: md.uid } });
      this.ctx.log.info({ pod: key, node: pod.spec?.nodeName }, 'Evicted pod for a NoExecute taint');
    } catch (err) {
      if (isApiError(err) && err.code === 404) return;
      throw new Error(`evict pod ${key}`, { cause: err });
    }
  }
}

export class TaintEvictionController implements Runnable {
  private readonly controller: Controller;
  private readonly pods: Informer<Pod & KubeObject>;
  private readonly nodes: Informer<Node & KubeObject>;

  constructor(ctx: ControllerContext, informers: { pods: Informer<Pod & KubeObject>; nodes: Informer<Node & KubeObject> }) {
    this.pods = informers.pods;
    this.nodes = informers.nodes;
    this.controller = new Controller({
      name: 'taint-eviction', workers: 4, log: ctx.log.child({ loop: 'taint-eviction' }),
      reconciler: new EvictionReconciler(ctx, this.pods, this.nodes),
      watches: [
        { informer: this.pods as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
        { informer: this.nodes as Informer<KubeObject>, toKeys: (o) => (hasNoExecute(o as Node) ? this.podKeysOn(o.metadata?.name ?? '') : []) },
      ],
    });
  }

  /** Look again at every pod on a NoExecute-tainted node (deadlines by an injected clock). */
  resync(): void {
    for (const n of this.nodes.cache.list()) if (hasNoExecute(n)) for (const k of this.podKeysOn(n.metadata?.name ?? '')) this.controller.enqueue(k);
  }

  run(signal: AbortSignal): Promise<void> { return this.controller.run(signal); }

  private podKeysOn(node: string): ObjectKey[] {
    return this.pods.cache.byIndex(POD_NODE_INDEX, node).map((p) => keyOf(p));
  }
}
