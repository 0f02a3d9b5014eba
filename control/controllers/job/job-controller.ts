/**
 * Job controller (NonIndexed completion mode): keeps `parallelism` pods running until
 * `completions` succeeded, counting terminated pods exactly once through the
 * `batch.kubernetes.io/job-tracking` finalizer as upstream does: a finished pod's uid goes into
 * status.uncountedTerminatedPods, then its finalizer is removed, then the uid moves into the
 * succeeded/failed counters. Failure (backoffLimit, activeDeadlineSeconds) and success are first
 * recorded as the interim FailureTarget / SuccessCriteriaMet conditions, and become Failed /
 * Complete once no pod is left uncounted or terminating. Pods are recreated after failures with
 * exponential backoff. Not implemented: Indexed mode, podFailurePolicy, successPolicy.
 */
import type { Logger } from 'pino';
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { nothing, selectorFromLabelSelector } from '../../api/labels.js';
import type { Selector } from '../../api/labels.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { EventRecorder } from '../../client/events.js';
import type { Informer } from '../../client/informer.js';
import { rfc3339 } from '../../util/clock.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller, controllerOwnerKey } from '../controller.js';
import { claimPods, controllerOf } from '../replicaset/pod-claim.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { ControllerExpectations, observePods } from '../shared/expectations.js';
import { isPodActive, isPodReady } from '../../api/pod-conditions.js';
import { BackoffStore, DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_MAX_MS } from './backoff.js';
import type { BackoffRecord } from './backoff.js';
import { FinalizerRemovals } from './finalizer-removals.js';
import {
  ensureCondition, findCondition, interimCondition, isJobFinished, MESSAGE_COMPLETIONS, newCondition, REASON_COMPLETIONS, syncSuspendedCondition,
} from './job-conditions.js';
import { JobPodControl } from './job-pod-control.js';
import { hasTrackingFinalizer, isPodFailed, isTerminating } from './job-pods.js';
import { manageJob } from './manage-job.js';
import { moveCounted, wireStatus } from './job-status.js';
import { expireAfterFinished } from './job-ttl.js';

const JOBS = findResource('batch', 'v1', 'jobs')!;

/** A Job's selector (an invalid one selects nothing; validation refuses it anyway). */
function jobSelector(job: KubeObject): Selector {
  try { return selectorFromLabelSelector((job as J).spec?.selector); } catch { return nothing(); }
}
const PODS = findResource('', 'v1', 'pods')!;
const OWNER_INDEX = 'job-controller/owner';
const RECHECK_MS = 1000;

type J = Job & KubeObject;
type P = Pod & KubeObject;

export interface JobControllerOptions {
  /** First pod-recreation delay after a failure (upstream 10 s); doubles per failure. */
  backoffBaseMs?: number;
  /** Cap of the recreation delay (upstream 6 min). */
  backoffMaxMs?: number;
  workers?: number;
}

export class JobController implements Runnable, Reconciler {
  private readonly controller: Controller;
  private readonly jobs: Informer<J>;
  private readonly pods: Informer<P>;
  private readonly expectations = new ControllerExpectations();
  private readonly backoff = new BackoffStore();
  private readonly finalizerRemovals = new FinalizerRemovals();
  private readonly recorder: EventRecorder;
  private readonly podControl: JobPodControl;
  private readonly log: Logger;

  constructor(private readonly ctx: ControllerContext, private readonly opts: JobControllerOptions = {}) {
    this.log = ctx.log;
    this.recorder = ctx.recorder('job-controller');
    this.jobs = ctx.informers.for<J>(JOBS);
    this.pods = ctx.informers.for<P>(PODS);
    this.pods.addIndex(OWNER_INDEX, (p) => controllerOwnerKey(p, 'Job'));
    this.podControl = new JobPodControl({ client: ctx.client, recorder: this.recorder, expectations: this.expectations });
    this.pods.on(observePods(this.expectations, (p) => controllerOwnerKey(p, 'Job')));
    this.controller = new Controller({
      name: 'job', reconciler: this, workers: opts.workers ?? 2, log: this.log,
      watches: [
        { informer: this.jobs as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] },
        { informer: this.pods as Informer<KubeObject>, toKeys: (o) => this.podToKeys(o) },
      ],
    });
  }

  run(signal: AbortSignal): Promise<void> { return this.controller.run(signal); }

  /** A controlled pod's Job; for an orphan, every Job of its namespace whose selector matches it (to adopt it). */
  private podToKeys(pod: KubeObject): ObjectKey[] {
    if (controllerOf(pod)) return controllerOwnerKey(pod, 'Job');
    const labels = pod.metadata?.labels;
    return this.jobs.cache.list(pod.metadata?.namespace).filter((j) => jobSelector(j).matches(labels)).map((j) => keyOf(j));
  }

  /**
   * Upstream getPodsForJob: the Job's pods after ClaimPods, which adopts matching orphans and
   * releases controlled pods that no longer match (a Job being deleted does neither).
   */
  private async claim(job: J): Promise<P[]> {
    const md = job.metadata ?? {};
    const selector = jobSelector(job);
    const candidates = this.pods.cache.list(md.namespace).filter((p) => {
      const ctrl = controllerOf(p);
      return ctrl ? ctrl.uid === md.uid : selector.matches(p.metadata?.labels);
    });
    const ref = { apiVersion: 'batch/v1', kind: 'Job', name: md.name ?? '', uid: md.uid ?? '', controller: true, blockOwnerDeletion: true };
    return await claimPods({ client: this.ctx.client, ref, selector, ownerDeleting: !!md.deletionTimestamp }, candidates) as P[];
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const cached = this.jobs.cache.get(key);
    const owned = this.pods.cache.byIndex(OWNER_INDEX, key);
    const uid = cached?.metadata?.uid;
    const mine = owned.filter((p) => uid !== undefined && p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid));
    const strangers = owned.filter((p) => !mine.includes(p) && hasTrackingFinalizer(p));
    if (strangers.length > 0) await this.releaseFinalizers(strangers);
    if (!cached) {
      this.backoff.forget(key);
      this.expectations.delete(key);
      this.finalizerRemovals.forget(key);
      return;
    }
    if (isJobFinished(cached)) {
      this.backoff.forget(key);
      await this.releaseFinalizers(mine.filter(hasTrackingFinalizer));
      return this.expire(cached);
    }
    return this.sync(key, cached, await this.claim(cached));
  }

  private async releaseFinalizers(pods: readonly Pod[]): Promise<void> {
    const { err } = await this.podControl.removeFinalizers(pods);
    if (err) throw new Error('remove job tracking finalizers', { cause: err });
  }

  private async expire(job: J): Promise<ReconcileResult> {
    const ms = expireAfterFinished(job, this.ctx.clock.now().getTime());
    if (ms === undefined) return;
    if (ms > 0) return { requeueAfterMs: ms };
    try {
      await this.ctx.client.delete(JOBS, job.metadata?.namespace, job.metadata?.name ?? '', { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata?.uid } });
    } catch (err) {
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  /** Upstream syncJob for a Job that is not finished yet. */
  private async sync(key: string, cached: J, pods: P[]): Promise<ReconcileResult> {
    const job = structuredClone(cached);
    const now = this.ctx.clock.now();
    const nowMs = now.getTime();
    const status = (job.status ??= {});
    const uncounted = { succeeded: [...(status.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(status.uncountedTerminatedPods?.failed ?? [])] };
    const rm = this.finalizerRemovals.pending(key, pods);
    const tracked = pods.filter((p) => hasTrackingFinalizer(p) && !rm.has(p.metadata?.uid ?? ''));
    const withFinalizer = new Set(tracked.map((p) => p.metadata?.uid ?? ''));
    const active = pods.filter(isPodActive);
    const uidOf = (p: Pod) => p.metadata?.uid ?? '';
    const newSucceeded = tracked.filter((p) => p.status?.phase === 'Succeeded' && !uncounted.succeeded.includes(uidOf(p)) && !uncounted.failed.includes(uidOf(p)));
    const newFailed = tracked.filter((p) => p.status?.phase !== 'Succeeded' && isPodFailed(p, job) && !uncounted.failed.includes(uidOf(p)));
    const succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.length;
    const failed = (status.failed ?? 0) + newFailed.length + uncounted.failed.length;
    const suspended = job.spec?.suspend === true;
    if (!status.startTime && !suspended) status.startTime = rfc3339(now);
    const backoffRec: BackoffRecord = this.backoff.next(key, newSucceeded.length, newFailed.length, nowMs);
    let requeueMs: number | undefined;
    const later = (ms: number) => { requeueMs = Math.min(requeueMs ?? ms, ms); };

    const reached = interimCondition(job, { failed, active, suspended, now });
    let finished: JobCondition | undefined = reached.condition;
    if (reached.recheckMs !== undefined) later(reached.recheckMs);

    const satisfied = this.expectations.satisfied(key);
    let activeCount = active.length;
    let terminating = pods.filter(isTerminating).length;
    let ready = active.filter(isPodReady).length;
    let manageErr: unknown;
    if (finished) {
      // the Job is done: its remaining pods go (keeping finalizers, so they are counted as failed)
      let deleted = 0;
      if (active.length > 0) {
        const r = await this.podControl.delete(job, key, active, { removeFinalizer: false });
        deleted = r.deleted;
        activeCount -= r.deleted;
        terminating += r.deleted;
        ready = 0;
        manageErr = r.err;
      }
      if (deleted !== active.length || !satisfied) finished = undefined;
    } else {
      let manageCalled = false;
      if (satisfied && !job.metadata?.deletionTimestamp) {
        const r = await manageJob({ job, key, active, succeeded, terminating, backoff: backoffRec, nowMs, podControl: this.podControl,
          backoffBaseMs: this.opts.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS, backoffMaxMs: this.opts.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS });
        activeCount = r.active;
        manageErr = r.err;
        if (r.requeueAfterMs !== undefined) later(r.requeueAfterMs);
        manageCalled = true;
      }
      const completions = job.spec?.completions;
      const complete = completions == null ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
      if (complete) finished = newCondition('SuccessCriteriaMet', REASON_COMPLETIONS, MESSAGE_COMPLETIONS, now);
      else if (manageCalled) {
        const changed = syncSuspendedCondition(job, suspended, now);
        if (changed) this.recorder.event(job, 'Normal', changed, `Job ${changed.toLowerCase()}`);
      }
    }

    // 1. newly terminated pods go into uncountedTerminatedPods, and their finalizers may go
    const toRelease: P[] = [];
    for (const p of tracked) {
      const considerFailed = isPodFailed(p, job);
      if (!(job.metadata?.deletionTimestamp || finished || p.status?.phase === 'Succeeded' || considerFailed)) continue;
      toRelease.push(p);
      const id = uidOf(p);
      if (p.status?.phase === 'Succeeded' && !uncounted.failed.includes(id)) {
        if (!uncounted.succeeded.includes(id)) uncounted.succeeded.push(id);
      } else if ((considerFailed || (finished && finished.type !== 'SuccessCriteriaMet')) && !uncounted.failed.includes(id)) {
        uncounted.failed.push(id);
      }
    }
    let final: JobCondition | undefined;
    if (finished) {
      const interim = finished.type === 'FailureTarget' ? 'FailureTarget' : 'SuccessCriteriaMet';
      if (findCondition(job, interim)?.status !== 'True') (status.conditions ??= []).push(finished);
      final = newCondition(interim === 'FailureTarget' ? 'Failed' : 'Complete', finished.reason ?? '', finished.message ?? '', now);
    }
    status.active = activeCount;
    status.ready = ready;
    status.terminating = terminating;
    status.uncountedTerminatedPods = uncounted;
    moveCounted(status, uncounted, withFinalizer);
    let current = await this.writeStatus(cached, job);
    this.backoff.set(key, backoffRec);

    // 2. remove finalizers; 3. count the pods whose finalizer is gone
    const rel = await this.podControl.removeFinalizers(toRelease);
    for (const id of rel.removed) { rm.add(id); withFinalizer.delete(id); }
    moveCounted(status, uncounted, withFinalizer);

    // 4. the terminal condition, once nothing is left uncounted or terminating
    const done = final !== undefined && uncounted.succeeded.length + uncounted.failed.length === 0 && terminating === 0;
    if (done && final) {
      ensureCondition(job, final.type as 'Complete' | 'Failed', 'True', final.reason ?? '', final.message ?? '', now);
      if (final.type === 'Complete') status.completionTime = rfc3339(now);
    }
    current = await this.writeStatus(current, job);
    if (done && final) {
      if (final.type === 'Complete') this.recorder.event(current, 'Normal', 'Completed', 'Job completed');
      else this.recorder.event(current, 'Warning', final.reason ?? 'Failed', final.message ?? '');
    }
    if (rel.err) throw new Error(`remove tracking finalizers of job ${key}`, { cause: rel.err });
    if (manageErr) throw new Error(`manage pods of job ${key}`, { cause: manageErr });
    if (final && !done) later(RECHECK_MS);
    if (!satisfied) later(RECHECK_MS);
    return requeueMs !== undefined ? { requeueAfterMs: requeueMs } : undefined;
  }

  /** PUT status when it changed; returns the stored Job (its resourceVersion guards the next write). */
  private async writeStatus(base: J, job: J): Promise<J> {
    const status = wireStatus(job.status ?? {});
    if (canonicalJson(base.status ?? {}) === canonicalJson(status)) return base;
    const written = await this.ctx.client.update<J>(JOBS, { ...job, status, metadata: { ...job.metadata, resourceVersion: base.metadata?.resourceVersion } }, { subresource: 'status' });
    job.metadata = { ...job.metadata, resourceVersion: written.metadata?.resourceVersion };
    return written;
  }
}

export function createJobController(ctx: ControllerContext, opts?: JobControllerOptions): JobController {
  return new JobController(ctx, opts);
}
