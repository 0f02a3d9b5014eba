/**
 * The DaemonSet decision (PURE): given the DaemonSet, the nodes and its pods, which nodes need a
 * pod, which pods go (misplaced, duplicate, failed, or rolled by the update strategy) and what the
 * status says. The controller applies the plan; the next reconcile sees the result.
 */
import type { DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { byCreation, isPodReady, msUntilAvailable } from '../../api/pod-conditions.js';
import { daemonPodNode, daemonPodSpec, REVISION_HASH_LABEL } from './daemon-pod.js';
import { nodeShouldRunDaemonPod } from './node-eligibility.js';

export interface DaemonPlan {
  createOn: string[];
  delete: Array<{ pod: Pod; why: 'misplaced' | 'duplicate' | 'failed' | 'update' }>;
  status: DaemonSetStatus;
  /** Look again after this long (a pod becomes available), if set. */
  requeueAfterMs?: number;
}

/** An int-or-percent against a total (upstream GetScaledValueFromIntOrPercent). */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number.parseInt(v, 10) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export function planDaemonSet(ds: DaemonSet, nodes: readonly Node[], pods: readonly Pod[], hash: string, nowMs: number): DaemonPlan {
  const spec = daemonPodSpec(ds);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    const n = daemonPodNode(p) ?? '';
    const list = byNode.get(n) ?? [];
    list.push(p);
    byNode.set(n, list);
  }
  for (const list of byNode.values()) list.sort(byCreation);

  const plan: DaemonPlan = { createOn: [], delete: [], status: {} as DaemonSetStatus };
  const st = { desired: 0, current: 0, misscheduled: 0, ready: 0, available: 0, updated: 0 };
  let wait: number | undefined;
  const rolling: Array<{ node: string; pods: Pod[] }> = [];
  const known = new Set<string>();

  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    known.add(name);
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, spec);
    const all = byNode.get(name) ?? [];
    const failed = all.filter((p) => p.status?.phase === 'Failed');
    const live = all.filter((p) => p.status?.phase !== 'Failed');
    if (shouldRun) st.desired++;
    if (all.length > 0) {
      if (shouldRun) {
        st.current++;
        const first = all[0]!;
        if (isPodReady(first)) st.ready++;
        const ms = msUntilAvailable(first, minReady, nowMs);
        if (ms === 0) st.available++;
        else if (ms !== undefined) wait = Math.min(wait ?? ms, ms);
        if (first.metadata?.labels?.[REVISION_HASH_LABEL] === hash) st.updated++;
      } else {
        st.misscheduled++;
      }
    }
    if (!shouldContinueRunning) {
      for (const p of all) plan.delete.push({ pod: p, why: 'misplaced' });
      continue;
    }
    for (const p of failed) plan.delete.push({ pod: p, why: 'failed' });
    if (live.length === 0) {
      if (shouldRun) plan.createOn.push(name);
      continue;
    }
    for (const p of live.slice(1)) plan.delete.push({ pod: p, why: 'duplicate' });
    rolling.push({ node: name, pods: live.slice(0, 1) });
  }
  // pods for nodes that are gone
  for (const [n, list] of byNode) if (!known.has(n)) for (const p of list) plan.delete.push({ pod: p, why: 'misplaced' });

  const strategy = ds.spec?.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && plan.createOn.length === 0 && plan.delete.length === 0) {
    planRollingUpdate(plan, rolling, hash, { desired: st.desired, minReady, nowMs, maxUnavailable: strategy?.rollingUpdate?.maxUnavailable, maxSurge: strategy?.rollingUpdate?.maxSurge });
  }

  plan.status = {
    currentNumberScheduled: st.current,
    desiredNumberScheduled: st.desired,
    numberMisscheduled: st.misscheduled,
    numberReady: st.ready,
    numberAvailable: st.available,
    numberUnavailable: Math.max(0, st.desired - st.available),
    updatedNumberScheduled: st.updated,
    observedGeneration: ds.metadata?.generation ?? 0,
    ...(ds.status?.collisionCount !== undefined ? { collisionCount: ds.status.collisionCount } : {}),
    ...(ds.status?.conditions ? { conditions: ds.status.conditions } : {}),
  };
  if (st.available === 0) delete plan.status.numberAvailable;
  if (st.desired - st.available <= 0) delete plan.status.numberUnavailable;
  if (st.updated === 0) delete plan.status.updatedNumberScheduled;
  if (wait !== undefined) plan.requeueAfterMs = wait;
  return plan;
}

interface RollingOpts { desired: number; minReady: number; nowMs: number; maxUnavailable: number | string | undefined; maxSurge: number | string | undefined }

/**
 * maxSurge 0: replace old pods by deleting them, at most maxUnavailable nodes without an
 * available pod at a time (old unavailable pods go at once). The next reconcile creates the new
 * pod on each emptied node. (maxSurge > 0 is treated like 0: surge is not implemented.)
 */
function planRollingUpdate(plan: DaemonPlan, rolling: Array<{ node: string; pods: Pod[] }>, hash: string, o: RollingOpts): void {
  let maxUnavailable = scaledValue(o.maxUnavailable ?? 1, o.desired, true);
  if (maxUnavailable === 0 && scaledValue(o.maxSurge, o.desired, true) === 0) maxUnavailable = 1;
  let unavailable = Math.max(0, o.desired - rolling.length); // nodes still waiting for a pod
  const candidates: Pod[] = [];
  for (const { pods } of rolling) {
    const p = pods[0]!;
    const available = msUntilAvailable(p, o.minReady, o.nowMs) === 0;
    const isNew = p.metadata?.labels?.[REVISION_HASH_LABEL] === hash;
    if (isNew) {
      if (!available) unavailable++;
    } else if (!available) {
      unavailable++;
      plan.delete.push({ pod: p, why: 'update' });
    } else {
      candidates.push(p);
    }
  }
  for (const p of candidates) {
    if (unavailable >= maxUnavailable) break;
    plan.delete.push({ pod: p, why: 'update' });
    unavailable++;
  }
}
