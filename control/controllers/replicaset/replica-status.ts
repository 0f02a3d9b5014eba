/**
 * The status a replica controller reports (upstream calculateStatus): counts over the pods it
 * controls, observedGeneration, and a ReplicaFailure condition while creating or deleting pods
 * fails (cleared once a sync succeeds).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSetCondition } from 'kubernetes-types/apps/v1.js';
import { rfc3339 } from '../../util/clock.js';
import { isPodAvailable, isPodReady } from '../../api/pod-conditions.js';
import type { ReplicaOwner, ReplicaStatus } from './replica-kind.js';

export interface ManageError { reason: 'FailedCreate' | 'FailedDelete'; message: string }

export function calculateReplicaStatus(owner: ReplicaOwner, pods: readonly Pod[], manageErr: ManageError | undefined, now: Date): ReplicaStatus {
  const templateLabels = owner.spec?.template?.metadata?.labels ?? {};
  const minReady = owner.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata?.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now.getTime())) available++;
    }
  }
  let conditions = [...(owner.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageErr && !failure) {
    const c: ReplicaSetCondition = { type: 'ReplicaFailure', status: 'True', reason: manageErr.reason, message: manageErr.message, lastTransitionTime: rfc3339(now) };
    conditions.push(c);
  } else if (!manageErr && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  return {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: owner.metadata?.generation ?? 0,
    ...(conditions.length ? { conditions } : {}),
  };
}

/** Status as the API returns it (zero counts omitted), for comparing before writing. */
export function sameStatus(a: ReplicaStatus | undefined, b: ReplicaStatus): boolean {
  const norm = (s: ReplicaStatus | undefined) => JSON.stringify({
    replicas: s?.replicas ?? 0, f: s?.fullyLabeledReplicas ?? 0, r: s?.readyReplicas ?? 0, a: s?.availableReplicas ?? 0,
    g: s?.observedGeneration ?? 0, c: s?.conditions ?? [],
  });
  return norm(a) === norm(b);
}
