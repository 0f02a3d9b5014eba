/**
 * PURE: spec.activeDeadlineSeconds as the kubelet's activeDeadlineHandler reads it: a pod that has
 * been active on the node (since status.startTime) for that long must be killed and fail with
 * reason DeadlineExceeded. The field may be lowered while the pod runs; each sync reads it afresh.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

export const DEADLINE_REASON = 'DeadlineExceeded';
export const DEADLINE_MESSAGE = 'Pod was active on the node longer than the specified deadline';

/** Milliseconds left before the deadline (≤ 0: exceeded); undefined when the pod has none. */
export function msUntilDeadline(pod: Pod, now: Date): number | undefined {
  const deadline = pod.spec?.activeDeadlineSeconds;
  if (deadline === undefined || deadline === null) return undefined;
  const started = pod.status?.startTime ? Date.parse(pod.status.startTime) : now.getTime();
  return started + deadline * 1000 - now.getTime();
}
