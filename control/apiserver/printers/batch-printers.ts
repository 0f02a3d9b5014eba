import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { AGE_COLUMN, NAME_COLUMN, TEMPLATE_WIDE_COLUMNS, column } from './columns.js';
import { NONE, boolPtr, containerCells, formatLabelSelector } from './cell-format.js';
import { humanDuration, sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';
import type { PrintContext } from './printer.js';
import type { TableCell } from './table.js';

/** upstream printJob (1.32: Status, Completions, Duration) and printCronJob (with Timezone). */

/** hasJobCondition: the first condition of that type decides. */
function jobCondition(conds: readonly JobCondition[] | undefined, type: string): boolean {
  return (conds ?? []).find((c) => c.type === type)?.status === 'True';
}

export function jobStatus(job: Job): string {
  const conds = job.status?.conditions;
  if (jobCondition(conds, 'Complete')) return 'Complete';
  if (jobCondition(conds, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (jobCondition(conds, 'Suspended')) return 'Suspended';
  if (jobCondition(conds, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** "1/3", or for a work-queue job (no completions) "0/1" or "0/1 of 4" when parallel. */
export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Empty before the job starts; running time while active; completion - start once done. */
export function jobDuration(job: Job, now: Date): string {
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : NaN;
  if (Number.isNaN(start)) return '';
  const done = job.status?.completionTime ? Date.parse(job.status.completionTime) : NaN;
  return humanDuration((Number.isNaN(done) ? now.getTime() : done) - start);
}

function jobRow(job: Job, ctx: PrintContext): TableCell[] {
  return [
    job.metadata?.name ?? '',
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, ctx.now),
    sinceTimestamp(job.metadata?.creationTimestamp, ctx.now),
    ...containerCells(job.spec?.template?.spec?.containers),
    formatLabelSelector(job.spec?.selector),
  ];
}

function cronJobRow(cj: CronJob, ctx: PrintContext): TableCell[] {
  const last = cj.status?.lastScheduleTime;
  const jobSpec = cj.spec?.jobTemplate?.spec;
  return [
    cj.metadata?.name ?? '',
    cj.spec?.schedule ?? '',
    cj.spec?.timeZone ?? NONE,
    boolPtr(cj.spec?.suspend),
    cj.status?.active?.length ?? 0,
    last ? sinceTimestamp(last, ctx.now) : NONE,
    sinceTimestamp(cj.metadata?.creationTimestamp, ctx.now),
    ...containerCells(jobSpec?.template?.spec?.containers),
    formatLabelSelector(jobSpec?.selector),
  ];
}

export const jobPrinter = definePrinter<Job>([
  NAME_COLUMN,
  column('Status', 'string', 'Status of the job.'),
  column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
  column('Duration', 'string', 'Time required to complete the job.'),
  AGE_COLUMN,
  ...TEMPLATE_WIDE_COLUMNS,
], jobRow);

export const cronJobPrinter = definePrinter<CronJob>([
  NAME_COLUMN,
  column('Schedule', 'string', 'The schedule in Cron format.'),
  column('Timezone', 'string', 'The time zone name for the given schedule.'),
  column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
  column('Active', 'integer', 'A list of pointers to currently running jobs.'),
  column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
  AGE_COLUMN,
  ...TEMPLATE_WIDE_COLUMNS,
], cronJobRow);
