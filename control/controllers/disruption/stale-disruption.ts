/**
 * A DisruptionTarget=True condition on a pod that was never deleted (the eviction wrote it, then
 * its deletion failed) goes stale after STALE_DISRUPTION_MS and is reset to False (upstream
 * nonTerminatingPodHasStaleDisruptionCondition). PURE.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../util/clock.js';

/** Upstream stalePodDisruptionTimeout. */
export const STALE_DISRUPTION_MS = 2 * 60_000;

/**
 * undefined when the pod has no condition to reset (terminating, terminal, none, or the
 * kubelet's own); else the ms left until it is stale (0: reset now).
 */
export function staleDisruptionWait(pod: Pod, nowMs: number): number | undefined {
  if (pod.metadata?.deletionTimestamp) return undefined;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
  const c = pod.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
  if (!c || c.status !== 'True' || c.reason === 'TerminationByKubelet') return undefined;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  if (Number.isNaN(since)) return 0;
  return Math.max(0, STALE_DISRUPTION_MS - (nowMs - since));
}

/** The pod's conditions with DisruptionTarget set to False (apipod.UpdatePodCondition: a new condition). */
export function resetDisruptionTarget(conditions: readonly PodCondition[], nowMs: number): PodCondition[] {
  return conditions.map((c) => (c.type === 'DisruptionTarget' ? { type: 'DisruptionTarget', status: 'False', lastTransitionTime: rfc3339(new Date(nowMs)) } : c));
}
