/**
 * Disruption controller (upstream pkg/controller/disruption): keeps each PodDisruptionBudget's
 * status (expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods,
 * observedGeneration, the DisruptionAllowed condition) level-based from the pod, PDB and
 * workload caches. A PDB is looked at again when one of its pods or a workload in its namespace
 * changes, and when an entry of disruptedPods expires. When the status cannot be computed (a pod
 * whose controller is gone) it fails safe: disruptionsAllowed 0 and DisruptionAllowed=False with
 * reason SyncFailed, and the key is retried with backoff.
 * Pods whose DisruptionTarget=True condition went stale (evicted but never deleted) get it reset
 * to False: their keys are `<namespace>/<name>/pod` (a PDB's key has one slash).
 */
import type { Logger } from 'pino';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import type { ResourceInfo } from '../../api/resources.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { PdbSyncError, computePdbStatus, sameStatus, setCondition } from './pdb-status.js';
import { resetDisruptionTarget, staleDisruptionWait } from './stale-disruption.js';
import type { ScaleLookup } from './pdb-status.js';

const PDBS = findResource('policy', 'v1', 'poddisruptionbudgets')!;
const PODS = findResource('', 'v1', 'pods')!;
const RS = findResource('apps', 'v1', 'replicasets')!;
const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const STATEFULSETS = findResource('apps', 'v1', 'statefulsets')!;
const RCS = findResource('', 'v1', 'replicationcontrollers')!;

type PDB = PodDisruptionBudget & KubeObject;
type Scaled = KubeObject & { spec?: { replicas?: number } };

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

export class DisruptionController implements Runnable, Reconciler {
  private readonly controller: Controller;
  private readonly pdbs: Informer<PDB>;
  private readonly pods: Informer<Pod & KubeObject>;
  private readonly workloads: Map<string, Informer<Scaled>>;
  private readonly recorder: EventRecorder;
  private readonly log: Logger;

  constructor(private readonly ctx: ControllerContext) {
    this.log = ctx.log;
    this.recorder = ctx.recorder('controllermanager');
    this.pdbs = ctx.informers.for<PDB>(PDBS);
    this.pods = ctx.informers.for<Pod & KubeObject>(PODS);
    this.workloads = new Map([RS, DEPLOYMENTS, STATEFULSETS, RCS].map((ri) => [ri.kind, ctx.informers.for<Scaled>(ri)]));
    const byNamespace = (o: KubeObject) => this.pdbs.cache.list(o.metadata?.namespace).map((p) => keyOf(p));
    this.controller = new Controller({
      name: 'disruption', reconciler: this, workers: 2, log: this.log,
      watches: [
        { informer: this.pdbs as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
        { informer: this.pods as Informer<KubeObject>, toKeys: (o) => [...this.pdbsOf(o as Pod & KubeObject), ...this.stalePodKey(o as Pod & KubeObject)] },
        ...[...this.workloads.values()].map((informer) => ({ informer: informer as Informer<KubeObject>, toKeys: byNamespace })),
      ],
    });
  }

  run(signal: AbortSignal): Promise<void> { return this.controller.run(signal); }

  /** The PDBs whose selector matches the pod (policy/v1: an empty selector matches every pod). */
  private pdbsOf(pod: Pod & KubeObject): ObjectKey[] {
    const labels = pod.metadata?.labels ?? {};
    return this.pdbs.cache.list(pod.metadata?.namespace).filter((pdb) => {
      try { return selectorFromLabelSelector(pdb.spec?.selector).matches(labels); } catch { return false; } // a bad selector matches nothing
    }).map((p) => keyOf(p));
  }

  private stalePodKey(pod: Pod & KubeObject): ObjectKey[] {
    return staleDisruptionWait(pod, this.ctx.clock.now().getTime()) === undefined ? [] : [`${keyOf(pod)}/pod`];
  }

  /** syncStalePodDisruption. */
  private async resetStalePod(podKey: ObjectKey): Promise<ReconcileResult> {
    const cached = this.pods.cache.get(podKey);
    if (!cached) return;
    const now = this.ctx.clock.now().getTime();
    const wait = staleDisruptionWait(cached, now);
    if (wait === undefined) return;
    if (wait > 0) return { requeueAfterMs: wait + 10 };
    const pod = { ...structuredClone(cached), status: { ...cached.status, conditions: resetDisruptionTarget(cached.status?.conditions ?? [], now) } };
    try {
      await this.ctx.client.update(PODS, pod as KubeObject, { subresource: 'status' });
      this.log.info({ pod: podKey }, 'Reset stale DisruptionTarget condition to False');
    } catch (err) {
      if (isApiError(err) && err.code === 404) return;
      throw err;
    }
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    if (key.endsWith('/pod') && key.split('/').length === 3) return this.resetStalePod(key.slice(0, -'/pod'.length));
    const cached = this.pdbs.cache.get(key);
    if (!cached) return;
    const pdb = structuredClone(cached);
    const now = this.ctx.clock.now().getTime();
    try {
      const pods = this.podsOf(pdb);
      if (pods.length === 0) this.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
      const res = computePdbStatus(pdb, pods, this.scaleOf, now);
      if (res.unmanagedPods.length > 0) {
        this.log.debug({ key, pods: res.unmanagedPods }, 'Found unmanaged pods associated with this PDB');
        this.recorder.event(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector ?? null)}) were found `
          + 'to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. '
          + 'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.');
      }
      if (!sameStatus(pdb.status, res.status)) await this.ctx.client.update(PDBS, { ...pdb, status: res.status } as KubeObject, { subresource: 'status' });
      return res.recheckAtMs !== undefined ? { requeueAfterMs: Math.max(0, res.recheckAtMs - now) + 10 } : undefined;
    } catch (err) {
      if (isApiError(err) && err.code === 404) return; // the PDB is gone
      if (isApiError(err) && err.code === 409) throw err; // a newer PDB: look again, no fail-safe
      if (err instanceof PdbSyncError) this.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${err.message}`);
      await this.failSafe(pdb, err, now);
      throw new Error(`sync pod disruption budget ${key}`, { cause: err });
    }
  }

  /** Upstream failSafe: no disruption allowed while the status cannot be trusted. */
  private async failSafe(pdb: PDB, err: unknown, now: number): Promise<void> {
    const status: PodDisruptionBudgetStatus = structuredClone(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
    status.disruptionsAllowed = 0;
    status.conditions ??= [];
    setCondition(status.conditions, {
      type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed',
      message: err instanceof Error ? err.message : String(err), observedGeneration: status.observedGeneration ?? 0,
    }, now);
    await this.ctx.client.update(PDBS, { ...pdb, status } as KubeObject, { subresource: 'status' });
  }

  private podsOf(pdb: PDB): Pod[] {
    const sel = selectorFromLabelSelector(pdb.spec?.selector);
    return this.pods.cache.list(pdb.metadata?.namespace).filter((p) => sel.matches(p.metadata?.labels ?? {}));
  }

  /** Upstream's finders: RC, Deployment (through its ReplicaSet), bare ReplicaSet, StatefulSet, then any kind with scale. */
  private readonly scaleOf: ScaleLookup = (ref, ns) => {
    const group = groupOf(ref.apiVersion);
    if (ref.kind === 'ReplicaSet' && (group === 'apps' || group === 'extensions')) {
      const rs = this.owned<ReplicaSet & KubeObject>(RS, ns, ref);
      if (!rs) return undefined;
      const dref = rs.metadata?.ownerReferences?.find((r) => r.controller);
      if (dref?.kind === 'Deployment') {
        const dgroup = groupOf(dref.apiVersion);
        if (dgroup !== 'apps' && dgroup !== 'extensions') return undefined;
        const d = this.owned<Deployment & KubeObject>(DEPLOYMENTS, ns, dref);
        return d ? { uid: dref.uid, scale: d.spec?.replicas ?? 1 } : undefined;
      }
      return { uid: ref.uid, scale: rs.spec?.replicas ?? 1 };
    }
    const ri = [RCS, STATEFULSETS, DEPLOYMENTS].find((r) => r.kind === ref.kind && r.group === group);
    if (ri) {
      const w = this.owned<Scaled>(ri, ns, ref);
      return w ? { uid: ref.uid, scale: w.spec?.replicas ?? 1 } : undefined;
    }
    return undefined; // no other kind here serves scale: like upstream's unmapped kinds, no controller
  };

  private owned<T extends KubeObject>(ri: ResourceInfo, ns: string, ref: OwnerReference): T | undefined {
    const obj = this.workloads.get(ri.kind)?.cache.get(`${ns}/${ref.name}`) as T | undefined;
    return obj && obj.metadata?.uid === ref.uid ? obj : undefined;
  }
}

/** Typed for the descriptor table. */
export function createDisruptionController(ctx: ControllerContext): Runnable {
  return new DisruptionController(ctx);
}
