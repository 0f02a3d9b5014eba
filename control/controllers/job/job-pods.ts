/** Job pods (PURE): building them from the template, and how the Job controller judges them. */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { byCreation, isPodReady } from '../../api/pod-conditions.js';

/** Held on every Job pod until the controller has counted it in the Job status. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';

export const hasTrackingFinalizer = (pod: Pod): boolean => pod.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;

/** Strategic merge patch removing the tracking finalizer. */
export const REMOVE_FINALIZER_PATCH = { metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] } };

export function newJobPod(job: Job): Pod {
  const md = job.metadata ?? {};
  const tmd = job.spec?.template.metadata ?? {};
  const labels: Record<string, string> = { ...(tmd.labels ?? {}) };
  if (!job.spec?.manualSelector) {
    labels[JOB_NAME_LABEL] ??= md.name ?? '';
    labels['job-name'] ??= md.name ?? '';
    labels[CONTROLLER_UID_LABEL] ??= md.uid ?? '';
    labels['controller-uid'] ??= md.uid ?? '';
  }
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${md.name ?? 'job'}-`,
      namespace: md.namespace,
      labels,
      ...(tmd.annotations ? { annotations: { ...tmd.annotations } } : {}),
      finalizers: [...(tmd.finalizers ?? []), JOB_TRACKING_FINALIZER],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: md.name ?? '', uid: md.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(job.spec?.template.spec ?? { containers: [] }),
  };
}

/**
 * Upstream isPodFailed: phase Failed, or (unless podReplacementPolicy is Failed / a
 * podFailurePolicy is set) deleted before it succeeded.
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (job.spec?.podFailurePolicy || job.spec?.podReplacementPolicy === 'Failed') return false;
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

export const isTerminating = (pod: Pod): boolean =>
  !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** Upstream pastBackoffLimitOnFailure: restarts of active pods (restartPolicy OnFailure) reach backoffLimit. */
export function pastBackoffLimitOnFailure(job: Job, active: readonly Pod[]): boolean {
  if (job.spec?.template.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of active) {
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Which active pods to delete first (upstream ActivePods order): unscheduled, pending, not ready, newest. */
export function deletionOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => [p.spec?.nodeName ? 1 : 0, p.status?.phase === 'Pending' || !p.status?.phase ? 0 : 1, isPodReady(p) ? 1 : 0];
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) - (rb[i] ?? 0);
  return -byCreation(a, b);
}
