/**
 * The FailedScheduling message, as upstream's FitError renders it, followed by what default
 * preemption would say (tinykube does not preempt: nodes rejected for resolvable reasons report
 * "No preemption victims found", the rest "Preemption is not helpful"):
 *
 *   0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}.
 *   preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod,
 *   2 Preemption is not helpful for scheduling..
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PluginStatus } from './types.js';

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

function histogram(reasons: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

function fitError(numAllNodes: number, body: string, postFilterMsg?: string): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (body) msg += ` ${body}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}.`;
  return msg;
}

function* allReasons(diagnosis: ReadonlyMap<string, PluginStatus>): Iterable<string> {
  for (const st of diagnosis.values()) yield* st.reasons;
}

export function preemptionMessage(pod: Pod, diagnosis: ReadonlyMap<string, PluginStatus>, numAllNodes: number): string {
  if (pod.spec?.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  const per = [...diagnosis.values()].map((st) => (st.code === 'Unschedulable' ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling'));
  return `preemption: ${fitError(numAllNodes, histogram(per))}`;
}

/** The message for a failed cycle (event and PodScheduled condition). */
export function failureMessage(pod: Pod, r: { diagnosis: ReadonlyMap<string, PluginStatus>; numAllNodes: number; preFilterMsg?: string }): string {
  if (r.numAllNodes === 0) return ERR_NO_NODES_AVAILABLE;
  const body = r.preFilterMsg ?? histogram(allReasons(r.diagnosis));
  return fitError(r.numAllNodes, body, preemptionMessage(pod, r.diagnosis, r.numAllNodes));
}
