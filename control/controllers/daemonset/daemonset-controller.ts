/**
 * DaemonSet controller: one pod per eligible node. Pods are created unbound with the required node
 * affinity `matchFields metadata.name In [node]`, so the default scheduler places them (as
 * upstream since 1.12). Rolling updates replace pods whose `controller-revision-hash` label differs
 * from the current template's hash. Reconcile is level-based over the informer caches; pod
 * creations/deletions are guarded by expectations so a stale cache never doubles them.
 * Not implemented: adoption of orphan pods, ControllerRevisions (not served), maxSurge > 0.
 */
import type { Logger } from 'pino';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller, controllerOwnerKey } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { ControllerExpectations, observePods } from '../shared/expectations.js';
import { newDaemonPod, templateHash } from './daemon-pod.js';
import { planDaemonSet } from './daemon-plan.js';

const DAEMONSETS = findResource('apps', 'v1', 'daemonsets')!;
const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const OWNER_INDEX = 'daemonset-controller/owner';
const RECHECK_MS = 1000;

type DS = DaemonSet & KubeObject;
type P = Pod & KubeObject;

export class DaemonSetController implements Runnable, Reconciler {
  private readonly controller: Controller;
  private readonly dsInformer: Informer<DS>;
  private readonly podInformer: Informer<P>;
  private readonly nodeInformer: Informer<Node & KubeObject>;
  private readonly expectations = new ControllerExpectations();
  private readonly recorder: EventRecorder;
  private readonly log: Logger;

  constructor(private readonly ctx: ControllerContext) {
    this.log = ctx.log;
    this.recorder = ctx.recorder('daemonset-controller');
    this.dsInformer = ctx.informers.for<DS>(DAEMONSETS);
    this.podInformer = ctx.informers.for<P>(PODS);
    this.nodeInformer = ctx.informers.for<Node & KubeObject>(NODES);
    this.podInformer.addIndex(OWNER_INDEX, (p) => controllerOwnerKey(p, 'DaemonSet'));
    this.podInformer.on(observePods(this.expectations, (p) => controllerOwnerKey(p, 'DaemonSet')));
    this.controller = new Controller({
      name: 'daemonset', reconciler: this, workers: 2, log: this.log,
      watches: [
        { informer: this.dsInformer as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
        { informer: this.podInformer as Informer<KubeObject>, toKeys: (o) => controllerOwnerKey(o, 'DaemonSet') },
        { informer: this.nodeInformer as Informer<KubeObject>, toKeys: () => this.dsInformer.cache.list().map((d) => keyOf(d)) },
      ],
    });
  }

  run(signal: AbortSignal): Promise<void> { return this.controller.run(signal); }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const cached = this.dsInformer.cache.get(key);
    if (!cached) { this.expectations.delete(key); return; }
    if (cached.metadata?.deletionTimestamp) return;
    const ds = structuredClone(cached);
    const uid = ds.metadata?.uid;
    const pods = this.podInformer.cache.byIndex(OWNER_INDEX, key)
      .filter((p) => p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid));
    const hash = templateHash(ds.spec?.template, ds.status?.collisionCount);
    const plan = planDaemonSet(ds, this.nodeInformer.cache.list(), pods, hash, this.ctx.clock.now().getTime());
    const satisfied = this.expectations.satisfied(key);
    if (satisfied) await this.apply(ds, key, hash, plan.createOn, plan.delete.map((d) => d.pod));
    await this.updateStatus(ds, plan.status);
    if (!satisfied) return { requeueAfterMs: RECHECK_MS };
    return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs + 10 } : undefined;
  }

  private async apply(ds: DS, key: string, hash: string, createOn: string[], remove: Pod[]): Promise<void> {
    const ns = ds.metadata?.namespace;
    const l = this.log.child({ key });
    this.expectations.expectCreations(key, createOn.length);
    this.expectations.expectDeletions(key, remove.map((p) => keyOf(p)));
    const errors: unknown[] = [];
    await Promise.all([
      ...createOn.map(async (node) => {
        try {
          const pod = await this.ctx.client.create<P>(PODS, ns, newDaemonPod(ds, node, hash) as unknown as KubeObject);
          this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
          l.debug({ node, pod: pod.metadata?.name }, 'Created daemon pod');
        } catch (err) {
          this.expectations.creationObserved(key);
          if (isApiError(err) && err.code === 409 && err.reason === 'AlreadyExists') return;
          this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
          errors.push(err);
        }
      }),
      ...remove.map(async (pod) => {
        const name = pod.metadata?.name ?? '';
        try {
          await this.ctx.client.delete(PODS, ns, name, { preconditions: { uid: pod.metadata?.uid } });
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, keyOf(pod));
          if (isApiError(err) && (err.code === 404 || err.code === 409)) return;
          this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
          errors.push(err);
        }
      }),
    ]);
    if (errors.length > 0) throw new Error(`sync daemon set ${key}: ${errors.length} pod operation(s) failed`, { cause: errors[0] });
  }

  private async updateStatus(ds: DS, status: NonNullable<DaemonSet['status']>): Promise<void> {
    if (canonicalJson(ds.status ?? {}) === canonicalJson(status)) return;
    try {
      await this.ctx.client.update(DAEMONSETS, { ...ds, status } as KubeObject, { subresource: 'status' });
    } catch (err) {
      if (isApiError(err) && err.code === 404) return;
      throw new Error(`update status of daemon set ${keyOf(ds)}`, { cause: err });
    }
  }
}

export function createDaemonSetController(ctx: ControllerContext): DaemonSetController {
  return new DaemonSetController(ctx);
}
