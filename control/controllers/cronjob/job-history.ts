/** Finished-Job bookkeeping for CronJobs (PURE): finished state and the history-limit victims. */
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';

/** 'Complete' or 'Failed' once the Job has that condition True. */
export function finishedType(job: Job): 'Complete' | 'Failed' | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/** Upstream byJobStartTime: by status.startTime (unset last), then name. */
function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa !== sb) return (sa ?? '') < (sb ?? '') ? -1 : 1;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
}

/** The oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit. */
export function jobsBeyondHistory<T extends Job>(cj: CronJob, jobs: readonly T[]): T[] {
  const out: T[] = [];
  const trim = (limit: number | undefined, type: 'Complete' | 'Failed') => {
    if (limit == null) return;
    const done = jobs.filter((j) => finishedType(j) === type && !j.metadata?.deletionTimestamp).sort(byStartTime);
    out.push(...done.slice(0, Math.max(0, done.length - limit)));
  };
  trim(cj.spec?.successfulJobsHistoryLimit, 'Complete');
  trim(cj.spec?.failedJobsHistoryLimit, 'Failed');
  return out;
}
