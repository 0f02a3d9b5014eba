/**
 * PURE. The taints the node lifecycle controller owns (upstream nodelifecycle tainting passes)
 * and the NoExecute taint manager's timing (toleration matching is control/api/tolerations.ts).
 */
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { findToleration } from '../../api/tolerations.js';
import { rfc3339 } from '../../util/clock.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Node condition (type, status) -> NoSchedule taint key. */
const CONDITION_TAINTS: ReadonlyArray<[string, string, string]> = [
  ['Ready', 'False', TAINT_NOT_READY],
  ['Ready', 'Unknown', TAINT_UNREACHABLE],
  ['MemoryPressure', 'True', 'node.kubernetes.io/memory-pressure'],
  ['DiskPressure', 'True', 'node.kubernetes.io/disk-pressure'],
  ['NetworkUnavailable', 'True', 'node.kubernetes.io/network-unavailable'],
  ['PIDPressure', 'True', 'node.kubernetes.io/pid-pressure'],
];
const NO_SCHEDULE_KEYS = new Set([...CONDITION_TAINTS.map((c) => c[2]), TAINT_UNSCHEDULABLE]);
const NO_EXECUTE_KEYS = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE]);

export function conditionStatus(node: Node, type: string): string | undefined {
  return node.status?.conditions?.find((c) => c.type === type)?.status;
}

/**
 * The node's taint list with the controller's taints brought in line with its conditions, or
 * undefined when nothing changes. `noExecute: false` (every node down: upstream's disruption
 * mode) removes the not-ready/unreachable NoExecute taints instead of adding them.
 */
export function reconcileTaints(node: Node, opts: { now: Date; noExecute: boolean }): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const wantNoSchedule = new Set<string>();
  for (const [type, status, key] of CONDITION_TAINTS) if (conditionStatus(node, type) === status) wantNoSchedule.add(key);
  if (node.spec?.unschedulable) wantNoSchedule.add(TAINT_UNSCHEDULABLE);
  const wantNoExecute = new Set<string>();
  const ready = conditionStatus(node, 'Ready');
  if (opts.noExecute && ready === 'False') wantNoExecute.add(TAINT_NOT_READY);
  if (opts.noExecute && ready === 'Unknown') wantNoExecute.add(TAINT_UNREACHABLE);

  const kept = current.filter((t) => {
    if (t.effect === 'NoSchedule' && NO_SCHEDULE_KEYS.has(t.key)) return wantNoSchedule.has(t.key);
    if (t.effect === 'NoExecute' && NO_EXECUTE_KEYS.has(t.key)) return wantNoExecute.has(t.key);
    return true;
  });
  const has = (key: string, effect: string) => kept.some((t) => t.key === key && t.effect === effect);
  const added: Taint[] = [];
  for (const key of wantNoSchedule) if (!has(key, 'NoSchedule')) added.push({ key, effect: 'NoSchedule' });
  for (const key of wantNoExecute) if (!has(key, 'NoExecute')) added.push({ key, effect: 'NoExecute', timeAdded: rfc3339(opts.now) });
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

/**
 * When a pod on a node with these NoExecute taints must go (epoch ms): at once (`since`) for a
 * taint it does not tolerate, `since + tolerationSeconds` for one tolerated for a while, never
 * (undefined) when it tolerates all of them forever. `since(taint)` is when the taint appeared.
 */
export function evictionTime(pod: Pod, taints: readonly Taint[], since: (t: Taint) => number): number | undefined {
  let at: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const tol = findToleration(pod.spec?.tolerations, taint);
    let deadline: number | undefined;
    if (!tol) deadline = since(taint);
    else if (tol.tolerationSeconds !== undefined && tol.tolerationSeconds !== null) deadline = since(taint) + Math.max(0, tol.tolerationSeconds) * 1000;
    if (deadline !== undefined && (at === undefined || deadline < at)) at = deadline;
  }
  return at;
}
