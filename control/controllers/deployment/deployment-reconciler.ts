/**
 * The Deployment reconciler (upstream syncDeployment): claim ReplicaSets, then — deleted: status
 * only; paused or resized: scale; otherwise one step of the Recreate or RollingUpdate rollout.
 * Reads the informer caches, never mutates cached objects, NotFound means done.
 */
import type { Logger } from 'pino';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { nothing, selectorFromLabelSelector } from '../../api/labels.js';
import type { Selector } from '../../api/labels.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest-client.js';
import type { Clock } from '../../util/clock.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { claimReplicaSets } from './claim-replica-sets.js';
import { REASON, getCondition, newCondition, setCondition } from './deployment-conditions.js';
import { DeploymentSync } from './deployment-sync.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { rolloutRecreate } from './recreate.js';
import type { PodMap } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { isScalingEvent, syncScale } from './scale.js';

export interface DeploymentReconcilerOptions {
  client: RestClient;
  deployments: Informer<Deployment & KubeObject>;
  replicaSets: Informer<ReplicaSet & KubeObject>;
  pods: Informer<Pod & KubeObject>;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
}

/** The deployment's selector; `nothing` for an invalid one, and undefined when it selects everything. */
export function deploymentSelector(d: Deployment): Selector | undefined {
  try {
    const sel = selectorFromLabelSelector(d.spec?.selector);
    return sel.empty ? undefined : sel;
  } catch {
    return nothing(); // invalid selectors are validation's business: select nothing
  }
}

export class DeploymentReconciler implements Reconciler {
  constructor(private readonly o: DeploymentReconcilerOptions) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const cached = this.o.deployments.cache.get(key);
    if (!cached) return;
    const d = structuredClone(cached) as Deployment;
    const sync = new DeploymentSync({ client: this.o.client, recorder: this.o.recorder, clock: this.o.clock, log: this.o.log }, d);
    const selector = deploymentSelector(d);
    if (!selector) {
      sync.event('Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        await sync.writeStatus({ ...(d.status ?? {}), observedGeneration: d.metadata?.generation ?? 0 });
      }
      return;
    }
    const ns = d.metadata?.namespace;
    const rsList = await claimReplicaSets(this.o.client, d, selector, this.o.replicaSets.cache.list(ns));
    if (d.metadata?.deletionTimestamp) {
      const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(sync, rsList, false);
      await sync.syncDeploymentStatus(newRS ? [...oldRSs, newRS] : oldRSs, newRS);
      return;
    }
    await checkPausedConditions(sync);
    if (d.spec?.paused || (await isScalingEvent(sync, rsList))) {
      await syncScale(sync, rsList);
      return;
    }
    if (d.spec?.strategy?.type === 'Recreate') await rolloutRecreate(sync, rsList, this.podMap(selector, ns, rsList));
    else await rolloutRolling(sync, rsList);
    return sync.requeueAfterMs !== undefined ? { requeueAfterMs: sync.requeueAfterMs } : undefined;
  }

  /** Pods selected by the deployment, grouped by the uid of their controlling ReplicaSet. */
  private podMap(selector: Selector, ns: string | undefined, rsList: readonly ReplicaSet[]): PodMap {
    const map = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata?.uid ?? '', []]));
    for (const p of this.o.pods.cache.list(ns)) {
      if (!selector.matches(p.metadata?.labels)) continue;
      const uid = p.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
      if (uid !== undefined) map.get(uid)?.push(p);
    }
    return map;
  }
}

/** Upstream checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed. */
async function checkPausedConditions(sync: DeploymentSync): Promise<void> {
  const d = sync.d;
  if (d.spec?.progressDeadlineSeconds === undefined) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === REASON.timedOut) return;
  const pausedCond = cond?.reason === REASON.paused;
  const st = structuredClone(d.status ?? {});
  if (d.spec.paused && !pausedCond) setCondition(st, newCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused', sync.now()));
  else if (!d.spec.paused && pausedCond) setCondition(st, newCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed', sync.now()));
  else return;
  await sync.writeStatus(st);
}
