/**
 * Pod garbage collector (upstream pkg/controller/podgc), every checkPeriod (20 s upstream):
 * - terminated pods (Succeeded/Failed) beyond the threshold (12,500) are deleted, evicted ones and
 *   the oldest first;
 * - terminating pods on a node that is not Ready and carries `node.kubernetes.io/out-of-service`
 *   are force-deleted;
 * - orphaned pods, bound to a node that does not exist (absent from the cache for the quarantine,
 *   40 s, then confirmed with a GET), are marked Failed with DisruptionTarget (DeletionByPodGC,
 *   "PodGC: node no longer exists") and force-deleted;
 * - terminating pods never scheduled are force-deleted.
 * Force deletion: the pod is first moved to phase Failed (a dead kubelet never will), then deleted
 * with gracePeriodSeconds 0.
 *
 * Deliberately NOT done (upstream does not either): force-deleting pods that are terminating on a
 * node whose Ready is Unknown. Such pods (e.g. evicted by the taint manager from a dead node) stay
 * Terminating until the node comes back or is deleted, or an admin adds the out-of-service taint.
 * Replacements still appear: ReplicaSet/Deployment/Job controllers do not count pods with a
 * deletionTimestamp as active, so they create new pods (which the scheduler keeps off the
 * unreachable node through its NoSchedule taint) while the old ones are still Terminating.
 */
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import { rfc3339 } from '../../util/clock.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { sleep } from '../../util/abort.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

export interface PodGcOptions {
  /** How often to look (upstream gcCheckPeriod 20 s). */
  checkPeriodMs?: number;
  /** How long a node must be missing before its pods are orphans (upstream 40 s). */
  quarantineMs?: number;
  /** Terminated pods kept (upstream --terminated-pod-gc-threshold 12500; 0 disables). */
  terminatedPodThreshold?: number;
}

const isTerminated = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const isReady = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export class PodGcController implements Runnable {
  private readonly pods: Informer<Pod & KubeObject>;
  private readonly nodes: Informer<Node & KubeObject>;
  private readonly period: number;
  private readonly quarantine: number;
  private readonly threshold: number;
  /** Missing node name -> when first seen missing (ms, ctx.clock). */
  private readonly missingSince = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext, o: PodGcOptions = {}) {
    this.pods = ctx.informers.for<Pod & KubeObject>(PODS);
    this.nodes = ctx.informers.for<Node & KubeObject>(NODES);
    this.period = o.checkPeriodMs ?? 20_000;
    this.quarantine = o.quarantineMs ?? 40_000;
    this.threshold = o.terminatedPodThreshold ?? 12_500;
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.pods.waitForSync(signal)) || !(await this.nodes.waitForSync(signal))) return;
    while (!signal.aborted) {
      try {
        await this.gc();
      } catch (err) {
        if (signal.aborted) return;
        this.ctx.log.warn({ err }, 'Pod GC pass failed; retrying next period');
      }
      await sleep(this.period, signal);
    }
  }

  /** One pass; each failure to delete one pod is logged and left for the next pass. */
  async gc(): Promise<void> {
    const pods = this.pods.cache.list();
    if (this.threshold > 0) await this.gcTerminated(pods);
    for (const p of pods) {
      if (!p.metadata?.deletionTimestamp || !p.spec?.nodeName) continue;
      const node = this.nodes.cache.get(p.spec.nodeName);
      if (node && !isReady(node) && (node.spec?.taints ?? []).some((t) => t.key === OUT_OF_SERVICE)) await this.forceDelete(p);
    }
    await this.gcOrphaned(pods);
    for (const p of pods) if (p.metadata?.deletionTimestamp && !p.spec?.nodeName) await this.forceDelete(p);
  }

  private async gcTerminated(pods: ReadonlyArray<Pod & KubeObject>): Promise<void> {
    const terminated = pods.filter(isTerminated);
    const excess = terminated.length - this.threshold;
    if (excess <= 0) return;
    const evicted = (p: Pod) => (p.status?.reason === 'Evicted' ? 0 : 1);
    terminated.sort((a, b) => evicted(a) - evicted(b)
      || (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '')
      || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    this.ctx.log.info({ numPods: excess }, 'Garbage collecting pods');
    for (const p of terminated.slice(0, excess)) await this.forceDelete(p);
  }

  private async gcOrphaned(pods: ReadonlyArray<Pod & KubeObject>): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const missing = new Set<string>();
    for (const p of pods) {
      const n = p.spec?.nodeName;
      if (n && !this.nodes.cache.get(n)) missing.add(n);
    }
    for (const n of this.missingSince.keys()) if (!missing.has(n)) this.missingSince.delete(n);
    const gone = new Set<string>();
    for (const n of missing) {
      const since = this.missingSince.get(n);
      if (since === undefined) { this.missingSince.set(n, now); continue; }
      if (now - since < this.quarantine) continue;
      try {
        await this.ctx.client.get(NODES, undefined, n);
        this.missingSince.delete(n); // it exists after all: the cache was behind
      } catch (err) {
        if (isApiError(err) && err.code === 404) gone.add(n);
        else this.ctx.log.warn({ err, node: n }, 'Failed to get node');
      }
    }
    for (const p of pods) {
      if (!gone.has(p.spec?.nodeName ?? '')) continue;
      this.ctx.log.info({ pod: keyOf(p), node: p.spec?.nodeName }, 'Found orphaned Pod assigned to the Node, deleting');
      await this.forceDelete(p, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
    }
  }

  /** Upstream markFailedAndDeletePod. */
  private async forceDelete(pod: Pod & KubeObject, condition?: PodCondition): Promise<void> {
    const md = pod.metadata ?? {};
    try {
      if (!isTerminated(pod)) {
        const conditions = structuredClone(pod.status?.conditions ?? []).filter((c) => !condition || c.type !== condition.type);
        if (condition) conditions.push({ ...condition, lastTransitionTime: rfc3339(this.ctx.clock.now()) });
        const next: Pod & KubeObject = { ...structuredClone(pod), status: { ...structuredClone(pod.status), phase: 'Failed', conditions } };
        await this.ctx.client.update(PODS, next, { subresource: 'status' });
      }
      await this.ctx.client.delete(PODS, md.namespace, md.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: md.uid } });
      this.ctx.log.info({ pod: keyOf(pod) }, 'PodGC force deleted Pod');
    } catch (err) {
      // gone or changed meanwhile: the next pass decides again
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) this.ctx.log.warn({ err, pod: keyOf(pod) }, 'Failed to force delete pod');
    }
  }
}

export function createPodGcController(ctx: ControllerContext, o: PodGcOptions = {}): Runnable {
  return new PodGcController(ctx, o);
}
