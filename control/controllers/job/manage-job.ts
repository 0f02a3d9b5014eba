/**
 * Upstream manageJob for NonIndexed Jobs: bring the number of active pods to what parallelism
 * and the remaining completions call for — delete the surplus (least valuable first, dropping
 * their tracking finalizer so they do not count as failures), or create the shortfall once the
 * pod-recreation backoff has passed. A suspended Job has every active pod deleted.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { remainingBackoffMs } from './backoff.js';
import type { BackoffRecord } from './backoff.js';
import type { JobPodControl } from './job-pod-control.js';
import { deletionOrder } from './job-pods.js';

/** Upstream caps pod creations per sync (slow start batches); we cap the burst. */
const MAX_CREATES_PER_SYNC = 500;

export interface ManageInput {
  job: Job & KubeObject;
  key: string;
  active: readonly Pod[];
  succeeded: number;
  terminating: number;
  backoff: BackoffRecord;
  nowMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  podControl: JobPodControl;
}

export interface ManageResult { active: number; requeueAfterMs?: number; err?: unknown }

export function wantActive(job: Job, active: number, succeeded: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions == null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

export async function manageJob(m: ManageInput): Promise<ManageResult> {
  const { job, key, active, podControl } = m;
  if (job.spec?.suspend) {
    if (active.length === 0) return { active: 0 };
    const r = await podControl.delete(job, key, active, { removeFinalizer: true });
    return { active: active.length - r.deleted, err: r.err };
  }
  const want = wantActive(job, active.length, m.succeeded);
  if (active.length > want) {
    const victims = [...active].sort(deletionOrder).slice(0, active.length - want);
    const r = await podControl.delete(job, key, victims, { removeFinalizer: true });
    return { active: active.length - r.deleted, err: r.err };
  }
  let diff = want - active.length;
  if (job.spec?.podReplacementPolicy === 'Failed') diff -= m.terminating;
  if (diff <= 0) return { active: active.length };
  const wait = remainingBackoffMs(m.backoff, m.nowMs, m.backoffBaseMs, m.backoffMaxMs);
  if (wait > 0) return { active: active.length, requeueAfterMs: wait };
  const r = await podControl.create(job, key, Math.min(diff, MAX_CREATES_PER_SYNC));
  return { active: active.length + r.created, err: r.err };
}
