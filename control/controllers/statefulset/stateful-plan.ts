/**
 * The StatefulSet decision (PURE; upstream updateStatefulSet): from the set, its current and
 * update revisions, its pods and the claims in its namespace, the ordered list of writes to make
 * now and the status to report. OrderedReady ("monotonic") stops at the first pod that is being
 * created, is terminating, or is not Running+Ready+Available: pods appear one at a time in
 * ascending ordinal order and go one at a time from the highest. Parallel creates and deletes
 * every pod at once. Rolling updates (both policies) delete one pod at a time from the highest
 * ordinal down to the partition, waiting for each replacement to be healthy; OnDelete never
 * deletes for an update. Scaling takes precedence over updating.
 */
import type { StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isPodReady, msUntilAvailable } from '../../api/pod-conditions.js';
import { claimIsStale, claimOwnerRefs, claimOwnersUpToDate } from './claim-retention.js';
import {
  claimsFor, identityLabels, identityMatches, newStatefulPod, ordinalOf, podRevision, replicasOf, startOrdinal, storageMatches,
} from './stateful-pod.js';

export type StatefulAction =
  | { kind: 'createPod'; pod: Pod; claims: PersistentVolumeClaim[] }
  | { kind: 'createClaims'; pod: Pod; claims: PersistentVolumeClaim[] }
  | { kind: 'deletePod'; pod: Pod; why: 'failed' | 'condemned' | 'update' }
  | { kind: 'fixPodLabels'; pod: Pod; labels: Record<string, string> }
  | { kind: 'updateClaimOwners'; pod: Pod; claim: PersistentVolumeClaim; ownerReferences: OwnerReference[] };

export interface StatefulPlanInput {
  set: StatefulSet;
  /** The set with the current revision's template, and with the update revision's. */
  currentSet: StatefulSet;
  updateSet: StatefulSet;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  /** The pods the set controls. */
  pods: readonly Pod[];
  /** Claims of the set's namespace by name. */
  claims: ReadonlyMap<string, PersistentVolumeClaim>;
  nowMs: number;
}

export interface StatefulPlan {
  actions: StatefulAction[];
  status: StatefulSetStatus;
  /** Look again after this long (a ready pod becomes available), if set. */
  requeueAfterMs?: number;
}

const isCreated = (p: Pod | undefined): p is Pod => !!p && !!p.status?.phase;
const isTerminating = (p: Pod): boolean => !!p.metadata?.deletionTimestamp;
const isRunningAndReady = (p: Pod): boolean => p.status?.phase === 'Running' && isPodReady(p);

export function planStatefulSet(i: StatefulPlanInput): StatefulPlan {
  const { set, updateSet } = i;
  const minReady = set.spec?.minReadySeconds ?? 0;
  let wait: number | undefined;
  const available = (p: Pod): boolean => {
    if (!isRunningAndReady(p)) return false;
    const ms = msUntilAvailable(p, minReady, i.nowMs);
    if (ms !== undefined && ms > 0) wait = Math.min(wait ?? ms, ms);
    return ms === 0;
  };
  const healthy = (p: Pod): boolean => isRunningAndReady(p) && !isTerminating(p);

  const start = startOrdinal(set);
  const count = replicasOf(set);
  const replicas: Pod[] = [];
  const existing: Array<Pod | undefined> = new Array<Pod | undefined>(count).fill(undefined);
  const condemned: Pod[] = [];
  for (const p of i.pods) {
    const ord = ordinalOf(p);
    if (ord < 0) continue;
    if (ord >= start && ord < start + count) existing[ord - start] = p;
    else condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let idx = 0; idx < count; idx++) {
    const ord = start + idx;
    const useCurrent = i.currentSet.spec?.updateStrategy?.type !== 'OnDelete' && ord < start + partition;
    replicas.push(existing[idx] ?? (useCurrent
      ? newStatefulPod(i.currentSet, ord, i.currentRevision)
      : newStatefulPod(updateSet, ord, i.updateRevision)));
  }
  const firstUnhealthy = [...replicas, ...[...condemned].reverse()].find((p) => !healthy(p));

  const actions: StatefulAction[] = [];
  const status = (): StatefulSetStatus => computeStatus(i, [...replicas, ...condemned], available);
  const done = (s: StatefulSetStatus = status()): StatefulPlan => finish(i, actions, s, wait);
  if (set.metadata?.deletionTimestamp) return done();
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';

  const claimUpdates = (pod: Pod): void => {
    if (!pod.metadata?.uid) return;
    for (const { claim: want } of claimsFor(updateSet, ordinalOf(pod))) {
      const claim = i.claims.get(want.metadata?.name ?? '');
      if (claim && !claimOwnersUpToDate(claim, updateSet, pod)) {
        actions.push({ kind: 'updateClaimOwners', pod, claim, ownerReferences: claimOwnerRefs(claim, updateSet, pod) });
      }
    }
  };
  const missingClaims = (pod: Pod): PersistentVolumeClaim[] => claimsFor(set, ordinalOf(pod))
    .map((c) => c.claim).filter((c) => !i.claims.has(c.metadata?.name ?? ''))
    .map((c) => ({ ...c, metadata: { ...c.metadata, ownerReferences: claimOwnerRefs(c, updateSet, pod) } }))
    .map((c) => { if (c.metadata.ownerReferences.length === 0) delete (c.metadata as { ownerReferences?: unknown }).ownerReferences; return c; });

  // 1. every replica in ordinal order (upstream processReplica)
  for (const pod of replicas) {
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
      if (!isTerminating(pod)) actions.push({ kind: 'deletePod', pod, why: 'failed' });
      if (monotonic) return done();
      continue;
    }
    if (!isCreated(pod)) {
      const stale = claimsFor(set, ordinalOf(pod)).some(({ claim }) => {
        const c = i.claims.get(claim.metadata?.name ?? '');
        return !!c && (claimIsStale(c, set, pod) || !!c.metadata?.deletionTimestamp);
      });
      if (!stale) actions.push({ kind: 'createPod', pod, claims: missingClaims(pod) });
      if (monotonic) return done();
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      const missing = missingClaims(pod);
      if (missing.length > 0) actions.push({ kind: 'createClaims', pod, claims: missing });
    }
    if (monotonic && (isTerminating(pod) || !available(pod))) return done();
    if (!identityMatches(set, pod)) actions.push({ kind: 'fixPodLabels', pod, labels: identityLabels(pod) });
    if (!storageMatches(set, pod)) {
      const missing = missingClaims(pod);
      if (missing.length > 0) actions.push({ kind: 'createClaims', pod, claims: missing });
    }
    claimUpdates(pod);
  }

  // 2. claims of condemned pods follow whenScaled before the pods go
  for (const pod of condemned) claimUpdates(pod);

  // 3. condemned pods, highest ordinal first (upstream processCondemned)
  for (const pod of condemned) {
    if (isTerminating(pod)) { if (monotonic) return done(); continue; }
    if (monotonic && pod !== firstUnhealthy && !available(pod)) return done();
    actions.push({ kind: 'deletePod', pod, why: 'condemned' });
    if (monotonic) return done();
  }

  const st = status();
  if (set.spec?.updateStrategy?.type === 'OnDelete') return done(st);

  // 4. rolling update: the highest ordinal not at the update revision goes, then wait for it
  for (let idx = replicas.length - 1; idx >= partition; idx--) {
    const pod = replicas[idx]!;
    if (podRevision(pod) !== i.updateRevision && !isTerminating(pod)) {
      actions.push({ kind: 'deletePod', pod, why: 'update' });
      st.currentReplicas = Math.max(0, (st.currentReplicas ?? 0) - 1);
      return done(st);
    }
    if (!healthy(pod)) return done(st);
  }
  return done(st);
}

function computeStatus(i: StatefulPlanInput, pods: readonly Pod[], available: (p: Pod) => boolean): StatefulSetStatus {
  const s = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const p of pods) {
    if (!isCreated(p)) continue;
    s.replicas++;
    if (isRunningAndReady(p)) {
      s.readyReplicas++;
      if (available(p)) s.availableReplicas++;
    }
    if (!isTerminating(p)) {
      if (podRevision(p) === i.currentRevision) s.currentReplicas++;
      if (podRevision(p) === i.updateRevision) s.updatedReplicas++;
    }
  }
  return {
    observedGeneration: i.set.metadata?.generation ?? 0,
    ...s,
    currentRevision: i.currentRevision,
    updateRevision: i.updateRevision,
    collisionCount: i.collisionCount,
    ...(i.set.status?.conditions ? { conditions: i.set.status.conditions } : {}),
  };
}

/** upstream completeRollingUpdate: every pod updated and ready makes the update revision current. */
function finish(i: StatefulPlanInput, actions: StatefulAction[], status: StatefulSetStatus, wait: number | undefined): StatefulPlan {
  const type = i.set.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (type === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  return { actions, status, ...(wait !== undefined ? { requeueAfterMs: wait } : {}) };
}
