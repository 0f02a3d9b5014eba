/**
 * StatefulSet controller (upstream pkg/controller/statefulset): pods `<set>-<ordinal>` with stable
 * hostnames under the governing service, their claims from volumeClaimTemplates created before
 * them and kept on scale down (or owned per persistentVolumeClaimRetentionPolicy), ordered or
 * parallel pod management, rolling updates with a partition or OnDelete, and the revision history
 * `kubectl rollout history/undo` reads. Reconcile is level-based over the informer caches: each
 * pass resolves the revisions, plans (stateful-plan.ts, PURE), makes the writes in order and
 * reports status. Pod names are fixed, so a stale cache at worst makes a create fail with
 * AlreadyExists and the key is retried; deletions carry the pod's UID as a precondition.
 */
import type { Logger } from 'pino';
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller, controllerOwnerKey } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { claimPods } from '../replicaset/pod-claim.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { resolveRevisions, truncateHistory } from './revision-history.js';
import { applyRevision, byRevision } from './revisions.js';
import { planStatefulSet } from './stateful-plan.js';
import type { StatefulAction } from './stateful-plan.js';
import { isMemberOf, setControllerRef } from './stateful-pod.js';

const STATEFULSETS = findResource('apps', 'v1', 'statefulsets')!;
const PODS = findResource('', 'v1', 'pods')!;
const CLAIMS = findResource('', 'v1', 'persistentvolumeclaims')!;
const REVISIONS = findResource('apps', 'v1', 'controllerrevisions')!;
const OWNER_INDEX = 'statefulset-controller/owner';

type SS = StatefulSet & KubeObject;
type P = Pod & KubeObject;
type PVC = PersistentVolumeClaim & KubeObject;
type CR = ControllerRevision & KubeObject;

export class StatefulSetController implements Runnable, Reconciler {
  private readonly controller: Controller;
  private readonly sets: Informer<SS>;
  private readonly pods: Informer<P>;
  private readonly claims: Informer<PVC>;
  private readonly revisions: Informer<CR>;
  private readonly recorder: EventRecorder;
  private readonly log: Logger;

  constructor(private readonly ctx: ControllerContext) {
    this.log = ctx.log;
    this.recorder = ctx.recorder('statefulset-controller');
    this.sets = ctx.informers.for<SS>(STATEFULSETS);
    this.pods = ctx.informers.for<P>(PODS);
    this.claims = ctx.informers.for<PVC>(CLAIMS);
    this.revisions = ctx.informers.for<CR>(REVISIONS);
    this.pods.addIndex(OWNER_INDEX, (p) => controllerOwnerKey(p, 'StatefulSet'));
    this.revisions.addIndex(OWNER_INDEX, (r) => controllerOwnerKey(r, 'StatefulSet'));
    this.controller = new Controller({
      name: 'statefulset', reconciler: this, workers: 2, log: this.log,
      watches: [
        { informer: this.sets as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
        { informer: this.pods as Informer<KubeObject>, toKeys: (o) => this.podKeys(o as P) },
        { informer: this.revisions as Informer<KubeObject>, toKeys: (o) => controllerOwnerKey(o, 'StatefulSet') },
        { informer: this.claims as Informer<KubeObject>, toKeys: (o) => this.setsIn(o.metadata?.namespace).filter((s) => (s.spec?.volumeClaimTemplates ?? []).length > 0).map((s) => keyOf(s)) },
      ],
    });
  }

  run(signal: AbortSignal): Promise<void> { return this.controller.run(signal); }

  /** The controlling set, or for an orphan every set whose selector and name fit it (adoption). */
  private podKeys(pod: P): string[] {
    const owner = controllerOwnerKey(pod, 'StatefulSet');
    if (owner.length > 0 || pod.metadata?.ownerReferences?.some((r) => r.controller)) return owner;
    return this.setsIn(pod.metadata?.namespace)
      .filter((s) => isMemberOf(s, pod) && selectorFromLabelSelector(s.spec?.selector).matches(pod.metadata?.labels))
      .map((s) => keyOf(s));
  }

  private setsIn(ns: string | undefined): SS[] {
    return this.sets.cache.list().filter((s) => s.metadata?.namespace === ns);
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const cached = this.sets.cache.get(key);
    if (!cached) return;
    const set = structuredClone(cached);
    const ns = set.metadata?.namespace;
    const selector = selectorFromLabelSelector(set.spec?.selector);
    const deleting = !!set.metadata?.deletionTimestamp;
    const ref = setControllerRef(set);
    const candidates = this.pods.cache.list().filter((p) => p.metadata?.namespace === ns
      && (p.metadata?.ownerReferences?.some((r) => r.uid === ref.uid) || isMemberOf(set, p)));
    const pods = await claimPods({ client: this.ctx.client, ref, selector, ownerDeleting: deleting }, candidates);
    const revisions = await this.ownedRevisions(set, selector.matches.bind(selector), deleting);
    const { current, update, collisionCount } = await resolveRevisions(this.ctx.client, set, revisions);
    const claims = new Map(this.claims.cache.list().filter((c) => c.metadata?.namespace === ns).map((c) => [c.metadata?.name ?? '', c as PersistentVolumeClaim]));
    const plan = planStatefulSet({
      set, currentSet: applyRevision(set, current), updateSet: applyRevision(set, update),
      currentRevision: current.metadata?.name ?? '', updateRevision: update.metadata?.name ?? '',
      collisionCount, pods, claims, nowMs: this.ctx.clock.now().getTime(),
    });
    try {
      await this.apply(set, plan.actions);
    } finally {
      await this.updateStatus(set, plan.status);
    }
    const all = [...revisions.filter((r) => r.metadata?.name !== update.metadata?.name), update].sort(byRevision);
    await truncateHistory(this.ctx.client, set, pods, all, [current, update]);
    return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs + 10 } : undefined;
  }

  /** Revisions the set controls, orphans matching its selector adopted (upstream AdoptOrphanRevisions). */
  private async ownedRevisions(set: SS, matches: (l: Record<string, string> | undefined) => boolean, deleting: boolean): Promise<ControllerRevision[]> {
    const uid = set.metadata?.uid;
    const out: ControllerRevision[] = [];
    for (const r of this.revisions.cache.list()) {
      if (r.metadata?.namespace !== set.metadata?.namespace) continue;
      const ctrl = r.metadata?.ownerReferences?.find((o) => o.controller);
      if (ctrl) { if (ctrl.uid === uid) out.push(r); continue; }
      if (deleting || !matches(r.metadata?.labels)) continue;
      const adopted = structuredClone(r);
      adopted.metadata = { ...adopted.metadata, ownerReferences: [...(adopted.metadata?.ownerReferences ?? []), setControllerRef(set)] };
      try {
        out.push(await this.ctx.client.update<CR>(REVISIONS, { ...adopted, apiVersion: 'apps/v1', kind: 'ControllerRevision' }));
      } catch (err) {
        if (!(isApiError(err) && err.code === 404)) throw err;
      }
    }
    return out.sort(byRevision);
  }

  private async apply(set: SS, actions: readonly StatefulAction[]): Promise<void> {
    const l = this.log.child({ key: keyOf(set) });
    for (const a of actions) {
      const podName = a.pod.metadata?.name ?? '';
      switch (a.kind) {
        case 'createPod':
          await this.createClaims(set, podName, a.claims);
          await this.write(set, 'create', `Pod ${podName}`, 'successful', () => this.ctx.client.create(PODS, set.metadata?.namespace, a.pod as KubeObject));
          l.debug({ pod: podName }, 'Created stateful pod');
          break;
        case 'createClaims':
          await this.createClaims(set, podName, a.claims);
          break;
        case 'deletePod':
          await this.write(set, 'delete', `Pod ${podName}`, 'successful', async () => {
            try {
              await this.ctx.client.delete(PODS, set.metadata?.namespace, podName, { preconditions: { uid: a.pod.metadata?.uid } });
            } catch (err) {
              if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
            }
          });
          l.debug({ pod: podName, why: a.why }, 'Deleted stateful pod');
          break;
        case 'fixPodLabels':
          await this.write(set, 'update', `Pod ${podName}`, 'successful', () => this.ctx.client.patch(PODS, set.metadata?.namespace, podName, 'merge', { metadata: { labels: a.labels } }));
          break;
        case 'updateClaimOwners': {
          const claim = { ...structuredClone(a.claim), apiVersion: 'v1', kind: 'PersistentVolumeClaim' } as PVC;
          claim.metadata = { ...claim.metadata, ownerReferences: a.ownerReferences };
          await this.ctx.client.update(CLAIMS, claim);
          break;
        }
      }
    }
  }

  private async createClaims(set: SS, podName: string, claims: readonly PersistentVolumeClaim[]): Promise<void> {
    for (const c of claims) {
      const name = c.metadata?.name ?? '';
      try {
        await this.ctx.client.create(CLAIMS, set.metadata?.namespace, c as KubeObject);
        this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${set.metadata?.name ?? ''} success`);
      } catch (err) {
        if (isApiError(err) && err.code === 409 && err.reason === 'AlreadyExists') continue; // made by an earlier pass the cache had not shown
        this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${set.metadata?.name ?? ''} failed error: ${errText(err)}`);
        throw new Error(`create claim ${name} of ${keyOf(set)}`, { cause: err });
      }
    }
  }

  /** One pod write with upstream's event (`create Pod db-0 in StatefulSet db successful`). */
  private async write(set: SS, verb: 'create' | 'delete' | 'update', what: string, ok: string, fn: () => Promise<unknown>): Promise<void> {
    const reason = verb[0]!.toUpperCase() + verb.slice(1);
    try {
      await fn();
      this.recorder.event(set, 'Normal', `Successful${reason}`, `${verb} ${what} in StatefulSet ${set.metadata?.name ?? ''} ${ok}`);
    } catch (err) {
      this.recorder.event(set, 'Warning', `Failed${reason}`, `${verb} ${what} in StatefulSet ${set.metadata?.name ?? ''} failed error: ${errText(err)}`);
      throw new Error(`${verb} ${what.toLowerCase()} of ${keyOf(set)}`, { cause: err });
    }
  }

  private async updateStatus(set: SS, status: StatefulSetStatus): Promise<void> {
    const next = wireStatus(status);
    if (canonicalJson(set.status ?? {}) === canonicalJson(next)) return;
    try {
      await this.ctx.client.update(STATEFULSETS, { ...set, status: next } as KubeObject, { subresource: 'status' });
    } catch (err) {
      if (isApiError(err) && err.code === 404) return;
      throw new Error(`update status of stateful set ${keyOf(set)}`, { cause: err });
    }
  }
}

/** The status as upstream's JSON shows it: zero counters other than replicas and availableReplicas left out. */
function wireStatus(s: StatefulSetStatus): StatefulSetStatus {
  const out: StatefulSetStatus = { ...s };
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (!out[k]) delete out[k];
  for (const k of ['currentRevision', 'updateRevision'] as const) if (!out[k]) delete out[k];
  return out;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createStatefulSetController(ctx: ControllerContext): StatefulSetController {
  return new StatefulSetController(ctx);
}
