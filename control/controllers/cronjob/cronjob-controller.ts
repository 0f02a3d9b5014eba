/**
 * CronJob controller (upstream ControllerV2): reconciles status.active with the Jobs it owns,
 * creates the Job for the most recent unmet schedule time (named `<cronjob>-<minutes>`) subject
 * to startingDeadlineSeconds, suspend and concurrencyPolicy, trims finished Jobs to the history
 * limits, and requeues itself for the next schedule time. Time comes from ctx.clock, so tests
 * drive it with a FakeClock (and a short `resyncMs` so the fake time is re-read promptly).
 */
import type { Logger } from 'pino';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import { rfc3339 } from '../../util/clock.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller, controllerOwnerKey } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { CronParseError } from '../../util/cron/cron-spec.js';
import { parseSchedule } from '../../util/cron/schedule.js';
import type { Schedule } from '../../util/cron/schedule.js';
import { finishedType, jobsBeyondHistory } from './job-history.js';
import { jobNameFor, MANY_MISSED, mostRecentScheduleTime, NEXT_SCHEDULE_DELTA_MS, rfc1123z, rfc3339In, SCHEDULED_TIMESTAMP_ANNOTATION } from './schedule-times.js';

const CRONJOBS = findResource('batch', 'v1', 'cronjobs')!;
const JOBS = findResource('batch', 'v1', 'jobs')!;
const OWNER_INDEX = 'cronjob-controller/owner';

type CJ = CronJob & KubeObject;
type J = Job & KubeObject;

export interface CronJobControllerOptions {
  /** Upper bound on the requeue delay (real ms), so a FakeClock is re-read; default none. */
  resyncMs?: number;
}

export class CronJobController implements Runnable, Reconciler {
  private readonly controller: Controller;
  private readonly cronJobs: Informer<CJ>;
  private readonly jobs: Informer<J>;
  private readonly recorder: EventRecorder;
  private readonly log: Logger;

  constructor(private readonly ctx: ControllerContext, private readonly opts: CronJobControllerOptions = {}) {
    this.log = ctx.log; // the manager bound component and controller
    this.recorder = ctx.recorder('cronjob-controller');
    this.cronJobs = ctx.informers.for<CJ>(CRONJOBS);
    this.jobs = ctx.informers.for<J>(JOBS);
    this.jobs.addIndex(OWNER_INDEX, (j) => controllerOwnerKey(j, 'CronJob'));
    this.controller = new Controller({
      name: 'cronjob', reconciler: this, workers: 2, log: this.log,
      watches: [
        { informer: this.cronJobs as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
        { informer: this.jobs as Informer<KubeObject>, toKeys: (o) => controllerOwnerKey(o, 'CronJob') },
      ],
    });
  }

  run(signal: AbortSignal): Promise<void> { return this.controller.run(signal); }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const cached = this.cronJobs.cache.get(key);
    if (!cached) return;
    const cj = structuredClone(cached);
    const uid = cj.metadata?.uid;
    const children = this.jobs.cache.byIndex(OWNER_INDEX, key).filter((j) => j.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid));
    const status = (cj.status ??= {});
    this.syncActive(cj, children);
    let requeue: number | undefined;
    let err: unknown;
    try {
      requeue = await this.schedule(cj, children);
    } catch (e) {
      err = e;
    }
    await this.cleanup(cj, children);
    if (status.active?.length === 0) delete status.active;
    if (canonicalJson(cached.status ?? {}) !== canonicalJson(status)) {
      await this.ctx.client.update(CRONJOBS, cj, { subresource: 'status' });
    }
    if (err) throw err;
    if (requeue === undefined) return;
    return { requeueAfterMs: this.opts.resyncMs !== undefined ? Math.min(requeue, this.opts.resyncMs) : requeue };
  }

  /** status.active follows the owned Jobs: finished ones leave it, vanished ones too. */
  private syncActive(cj: CJ, children: readonly J[]): void {
    const status = (cj.status ??= {});
    const active = (status.active ??= []);
    const byUid = new Map(children.map((j) => [j.metadata?.uid ?? '', j]));
    for (const j of children) {
      const done = finishedType(j);
      const i = active.findIndex((r) => r.uid === j.metadata?.uid);
      if (i < 0 && !done) {
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata?.name ?? ''}`);
      } else if (i >= 0 && done) {
        active.splice(i, 1);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name ?? ''}, condition: ${done}`);
      }
      if (done === 'Complete' && j.status?.completionTime && (!status.lastSuccessfulTime || j.status.completionTime > status.lastSuccessfulTime)) {
        status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    for (const ref of [...active]) {
      if (byUid.has(ref.uid ?? '')) continue;
      if (this.jobs.cache.get(`${ref.namespace ?? cj.metadata?.namespace}/${ref.name ?? ''}`)?.metadata?.uid === ref.uid) continue;
      this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
      active.splice(active.indexOf(ref), 1);
    }
  }

  /** Create the Job for the most recent unmet schedule time, if due; returns the requeue delay. */
  private async schedule(cj: CJ, children: readonly J[]): Promise<number | undefined> {
    if (cj.metadata?.deletionTimestamp) return undefined;
    const tz = cj.spec?.timeZone ?? undefined;
    let sched: Schedule;
    try {
      sched = parseSchedule(cj.spec?.schedule ?? '', tz === undefined ? {} : { timeZone: tz });
    } catch (e) {
      if (!(e instanceof CronParseError)) throw e;
      if (tz && e.code === 'UnknownTimeZone') this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${tz}": ${e.message}`);
      else this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec?.schedule ?? ''}" : ${e.message}`);
      return undefined;
    }
    if (cj.spec?.suspend) return undefined;
    const now = this.ctx.clock.now();
    const untilNext = () => sched.next(now).getTime() - now.getTime() + NEXT_SCHEDULE_DELTA_MS;
    const recent = mostRecentScheduleTime(cj, now, sched);
    if (recent.missed > MANY_MISSED) {
      this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    const scheduled = recent.time;
    if (!scheduled) return untilNext();
    const sds = cj.spec?.startingDeadlineSeconds;
    if (sds != null && scheduled.getTime() + sds * 1000 < now.getTime()) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return untilNext();
    }
    const status = (cj.status ??= {});
    const active = (status.active ??= []);
    const name = jobNameFor(cj.metadata?.name ?? '', scheduled);
    if (active.some((r) => r.name === name)) return untilNext();
    if (cj.spec?.concurrencyPolicy === 'Forbid' && active.length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return untilNext();
    }
    if (cj.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...active]) {
        await this.deleteJob(cj, ref.name ?? '', ref.uid);
        active.splice(active.indexOf(ref), 1);
      }
    }
    const job = await this.createJob(cj, name, scheduled, tz, children);
    if (job) {
      const md = job.metadata ?? {};
      active.push({ kind: 'Job', namespace: md.namespace, name: md.name, uid: md.uid, apiVersion: 'batch/v1', resourceVersion: md.resourceVersion });
      status.lastScheduleTime = rfc3339(scheduled);
    }
    return untilNext();
  }

  private async createJob(cj: CJ, name: string, scheduled: Date, tz: string | undefined, children: readonly J[]): Promise<J | undefined> {
    const tmpl = cj.spec?.jobTemplate;
    const md = cj.metadata ?? {};
    const job: Job = {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name, namespace: md.namespace,
        labels: { ...(tmpl?.metadata?.labels ?? {}) },
        annotations: { ...(tmpl?.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339In(scheduled, tz) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: md.name ?? '', uid: md.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(tmpl?.spec ?? { template: {} }),
    };
    try {
      const created = await this.ctx.client.create<J>(JOBS, md.namespace, job as unknown as KubeObject);
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
      this.log.info({ cronjob: keyOf(cj), job: name }, 'Created job');
      return created;
    } catch (err) {
      if (isApiError(err) && err.code === 409 && err.reason === 'AlreadyExists') {
        // created by an earlier sync whose status update was lost: adopt it into status
        const mine = children.find((j) => j.metadata?.name === name);
        return mine && !finishedType(mine) ? mine : undefined;
      }
      this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${err instanceof Error ? err.message : String(err)}`);
      throw new Error(`create job ${name} for cronjob ${keyOf(cj)}`, { cause: err });
    }
  }

  private async deleteJob(cj: CJ, name: string, uid: string | undefined): Promise<void> {
    try {
      await this.ctx.client.delete(JOBS, cj.metadata?.namespace, name, { propagationPolicy: 'Background', ...(uid ? { preconditions: { uid } } : {}) });
      this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
    } catch (err) {
      if (isApiError(err) && (err.code === 404 || err.code === 409)) return;
      this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${err instanceof Error ? err.message : String(err)}`);
      throw new Error(`delete job ${name} of cronjob ${keyOf(cj)}`, { cause: err });
    }
  }

  private async cleanup(cj: CJ, children: readonly J[]): Promise<void> {
    if (cj.metadata?.deletionTimestamp) return;
    const active = cj.status?.active ?? [];
    for (const j of jobsBeyondHistory(cj, children)) {
      await this.deleteJob(cj, j.metadata?.name ?? '', j.metadata?.uid);
      const i = active.findIndex((r) => r.uid === j.metadata?.uid);
      if (i >= 0) active.splice(i, 1);
    }
  }
}

export function createCronJobController(ctx: ControllerContext, opts?: CronJobControllerOptions): CronJobController {
  return new CronJobController(ctx, opts);
}
