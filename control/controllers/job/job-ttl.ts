/** ttlSecondsAfterFinished (upstream TTL-after-finished controller, folded in here). PURE. */
import type { Job } from 'kubernetes-types/batch/v1.js';

/** Milliseconds until a finished Job may be deleted (0 = now), or undefined when it never expires. */
export function expireAfterFinished(job: Job, nowMs: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl == null) return undefined;
  const cond = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!cond) return undefined;
  const finishedAt = Date.parse(job.status?.completionTime ?? cond.lastTransitionTime ?? '');
  if (Number.isNaN(finishedAt)) return 0;
  return Math.max(0, finishedAt + ttl * 1000 - nowMs);
}
