/**
 * Which pods a scale-down deletes first (upstream ActivePodsWithRanks): unscheduled before
 * scheduled, Pending before Unknown before Running, not ready before ready, pods doubled up on a
 * node before lonely ones, ready for less time before longer, more restarts before fewer, and
 * newer before older.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady, readyCondition } from '../../api/pod-conditions.js';

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

const time = (s: string | undefined): number => (s ? Date.parse(s) : NaN);
const restarts = (p: Pod): number => (p.status?.containerStatuses ?? []).reduce((n, c) => Math.max(n, c.restartCount ?? 0), 0);

/** Negative when `a` should be deleted before `b`. `rank` counts pods of the same set on the node. */
function compare(a: Pod, b: Pod, rank: (p: Pod) => number): number {
  const na = a.spec?.nodeName ? 1 : 0;
  const nb = b.spec?.nodeName ? 1 : 0;
  if (na !== nb) return na - nb;
  const pa = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0;
  const pb = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const ka = rank(a);
  const kb = rank(b);
  if (ka !== kb) return kb - ka;
  if (ra === 1) {
    const ta = time(readyCondition(a)?.lastTransitionTime);
    const tb = time(readyCondition(b)?.lastTransitionTime);
    if (ta !== tb) {
      if (Number.isNaN(ta)) return -1;
      if (Number.isNaN(tb)) return 1;
      return tb - ta;
    }
  }
  const ca = restarts(a);
  const cb = restarts(b);
  if (ca !== cb) return cb - ca;
  const ta = time(a.metadata?.creationTimestamp);
  const tb = time(b.metadata?.creationTimestamp);
  if (ta !== tb) {
    if (Number.isNaN(ta)) return -1;
    if (Number.isNaN(tb)) return 1;
    return tb - ta;
  }
  return (b.metadata?.name ?? '').localeCompare(a.metadata?.name ?? '');
}

/** The `count` pods to delete from `pods`, most deletable first. */
export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const rank = (p: Pod) => (p.spec?.nodeName ? perNode.get(p.spec.nodeName) ?? 0 : 0);
  return [...pods].sort((a, b) => compare(a, b, rank)).slice(0, Math.max(0, count));
}
