/** Job status conditions (PURE), with the 1.32 interim SuccessCriteriaMet / FailureTarget steps. */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { rfc3339 } from '../../util/clock.js';

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

export const REASON_BACKOFF_LIMIT = 'BackoffLimitExceeded';
export const MESSAGE_BACKOFF_LIMIT = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE = 'DeadlineExceeded';
export const MESSAGE_DEADLINE = 'Job was active longer than specified deadline';
export const REASON_COMPLETIONS = 'CompletionsReached';
export const MESSAGE_COMPLETIONS = 'Reached expected number of succeeded pods';
