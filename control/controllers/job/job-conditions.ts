/** Job status conditions (PURE), with the 1.32 interim SuccessCriteriaMet / FailureTarget steps. */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../util/clock.js';
import { pastBackoffLimitOnFailure } from './job-pods.js';

export type ConditionType = 'Complete' | 'Failed' | 'SuccessCriteriaMet' | 'FailureTarget' | 'Suspended';

export const findCondition = (job: Job, type: ConditionType): JobCondition | undefined =>
  job.status?.conditions?.find((c) => c.type === type);

const isTrue = (c: JobCondition | undefined): boolean => c?.status === 'True';

export const isJobFinished = (job: Job): boolean => isTrue(findCondition(job, 'Complete')) || isTrue(findCondition(job, 'Failed'));

export function newCondition(type: ConditionType, reason: string, message: string, now: Date, status: 'True' | 'False' = 'True'): JobCondition {
  const t = rfc3339(now);
  return { type, status, reason, message, lastProbeTime: t, lastTransitionTime: t };
}

/**
 * Set a condition's status (upstream ensureJobConditionStatus): a False condition is only
 * recorded when the type already exists. Returns whether anything changed.
 */
export function ensureCondition(job: Job, type: ConditionType, status: 'True' | 'False', reason: string, message: string, now: Date): boolean {
  const status_ = (job.status ??= {});
  const list = (status_.conditions ??= []);
  const cur = list.find((c) => c.type === type);
  if (!cur) {
    if (status === 'False') return false;
    list.push(newCondition(type, reason, message, now));
    return true;
  }
  if (cur.status === status && cur.reason === reason && cur.message === message) return false;
  if (cur.status !== status) cur.lastTransitionTime = rfc3339(now);
  cur.status = status;
  cur.reason = reason;
  cur.message = message;
  cur.lastProbeTime = rfc3339(now);
  return true;
}

/**
 * The Suspended condition follows spec.suspend; resuming restarts the activeDeadlineSeconds clock
 * (it counts time continuously active). Returns the event reason when the condition changed.
 */
export function syncSuspendedCondition(job: Job, suspended: boolean, now: Date): 'Suspended' | 'Resumed' | undefined {
  if (suspended) return ensureCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now) ? 'Suspended' : undefined;
  if (!ensureCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) return undefined;
  (job.status ??= {}).startTime = rfc3339(now);
  return 'Resumed';
}

export const REASON_BACKOFF_LIMIT = 'BackoffLimitExceeded';
export const MESSAGE_BACKOFF_LIMIT = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE = 'DeadlineExceeded';
export const MESSAGE_DEADLINE = 'Job was active longer than specified deadline';
export const REASON_COMPLETIONS = 'CompletionsReached';
export const MESSAGE_COMPLETIONS = 'Reached expected number of succeeded pods';

/**
 * The interim condition an unfinished Job has reached before its pods are managed (upstream
 * syncJob): SuccessCriteriaMet or FailureTarget already recorded, else a new FailureTarget for too
 * many failures (backoffLimit, or restarts under OnFailure) or for activeDeadlineSeconds. When the
 * deadline lies ahead, `recheckMs` says when to look again.
 */
export function interimCondition(job: Job, o: { failed: number; active: readonly Pod[]; suspended: boolean; now: Date }): { condition?: JobCondition; recheckMs?: number } {
  const scm = findCondition(job, 'SuccessCriteriaMet');
  if (scm?.status === 'True') return { condition: scm };
  const ft = findCondition(job, 'FailureTarget');
  if (ft?.status === 'True') return { condition: ft };
  if (o.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, o.active)) {
    return { condition: newCondition('FailureTarget', REASON_BACKOFF_LIMIT, MESSAGE_BACKOFF_LIMIT, o.now) };
  }
  const ads = job.spec?.activeDeadlineSeconds;
  const startTime = job.status?.startTime;
  if (ads == null || !startTime || o.suspended) return {};
  const deadlineMs = Date.parse(startTime) + ads * 1000;
  const nowMs = o.now.getTime();
  if (nowMs >= deadlineMs) return { condition: newCondition('FailureTarget', REASON_DEADLINE, MESSAGE_DEADLINE, o.now) };
  return { recheckMs: deadlineMs - nowMs + 10 };
}
