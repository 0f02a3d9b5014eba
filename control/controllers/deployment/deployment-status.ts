/**
 * Deployment status (upstream calculateStatus and syncRolloutStatus, the pure parts): replica
 * counts summed over the replica sets, the Available condition, and the Progressing condition
 * that `kubectl rollout status` reads (progressing, complete, or past its progress deadline).
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { REASON, getCondition, newCondition, removeCondition, setCondition } from './deployment-conditions.js';
import { availableReplicas, maxUnavailable, readyReplicas, replicasOf, specReplicas, statusReplicas } from './deployment-util.js';

export function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: Date): DeploymentStatus {
  const available = availableReplicas(allRSs);
  const st: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: statusReplicas(allRSs),
    updatedReplicas: statusReplicas([newRS]),
    readyReplicas: readyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicas(allRSs) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(st, newCondition('Available', 'True', REASON.minimumAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(st, newCondition('Available', 'False', REASON.minimumUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return st;
}

export function deploymentComplete(d: Deployment, st: DeploymentStatus): boolean {
  const want = replicasOf(d);
  return (st.updatedReplicas ?? 0) === want && (st.replicas ?? 0) === want && (st.availableReplicas ?? 0) === want
    && (st.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** Upstream DeploymentProgressing: anything moved forward since the last status. */
export function deploymentProgressing(d: Deployment, st: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (st.replicas ?? 0) - (st.updatedReplicas ?? 0);
  return (st.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
    || (st.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (st.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

const hasDeadline = (d: Deployment): boolean => d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;

export function deploymentTimedOut(d: Deployment, st: DeploymentStatus, now: Date): boolean {
  if (!hasDeadline(d)) return false;
  const c = getCondition(st, 'Progressing');
  if (!c || c.reason === REASON.newRSAvailable) return false;
  if (c.reason === REASON.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now.getTime();
}

/** The status after a rollout step, plus when to look again for the progress deadline. */
export function rolloutStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: Date): { status: DeploymentStatus; requeueAfterMs?: number } {
  const st = calculateStatus(d, allRSs, newRS, now);
  if (!hasDeadline(d)) removeCondition(st, 'Progressing');
  const cur = getCondition(st, 'Progressing');
  const complete = st.replicas === st.updatedReplicas && cur?.reason === REASON.newRSAvailable;
  if (hasDeadline(d) && !complete) {
    const name = newRS?.metadata?.name ?? '';
    if (deploymentComplete(d, st)) {
      removeCondition(st, 'Progressing');
      setCondition(st, newCondition('Progressing', 'True', REASON.newRSAvailable, `ReplicaSet "${name}" has successfully progressed.`, now));
    } else if (deploymentProgressing(d, st)) {
      const c = newCondition('Progressing', 'True', REASON.rsUpdated, `ReplicaSet "${name}" is progressing.`, now);
      if (cur?.status === 'True' && cur.lastTransitionTime) c.lastTransitionTime = cur.lastTransitionTime;
      removeCondition(st, 'Progressing');
      setCondition(st, c);
    } else if (deploymentTimedOut(d, st, now)) {
      const msg = newRS ? `ReplicaSet "${name}" has timed out progressing.` : `Deployment "${d.metadata?.name ?? ''}" has timed out progressing.`;
      setCondition(st, newCondition('Progressing', 'False', REASON.timedOut, msg, now));
    }
  }
  const failure = newRS?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (failure) {
    setCondition(st, newCondition('ReplicaFailure', failure.status as 'True', failure.reason ?? '', failure.message ?? '', now));
  } else {
    removeCondition(st, 'ReplicaFailure');
  }
  return { status: st, requeueAfterMs: stuckRequeue(d, st, now) };
}

/** Upstream requeueStuckDeployment: look again when the progress deadline would pass. */
function stuckRequeue(d: Deployment, st: DeploymentStatus, now: Date): number | undefined {
  const c = getCondition(st, 'Progressing');
  if (!hasDeadline(d) || !c || c.reason === REASON.newRSAvailable || c.reason === REASON.timedOut) return undefined;
  if (deploymentComplete(d, st)) return undefined;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return undefined;
  const after = from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - now.getTime();
  return after < 1000 ? Math.max(after, 0) + 50 : after + 1000;
}

export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  const norm = (s: DeploymentStatus | undefined) => JSON.stringify([
    s?.observedGeneration ?? 0, s?.replicas ?? 0, s?.updatedReplicas ?? 0, s?.readyReplicas ?? 0, s?.availableReplicas ?? 0,
    s?.unavailableReplicas ?? 0, s?.collisionCount ?? null, s?.conditions ?? [],
  ]);
  return norm(a) === norm(b);
}
