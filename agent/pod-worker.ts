/**
 * One worker per pod (kubelet's podWorkers): a loop that, when woken (pod update, runtime change,
 * probe result, timer), runs one level-based sync and writes the status; on deletion it stops the
 * containers with the grace period, removes the sandbox and confirms the deletion to the API.
 * Wakes coalesce: many wakes during a sync mean one more sync, never a queue of commands.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import { findResource } from '../control/api/resources.js';
import { isApiError } from '../control/api/status.js';
import type { RestClient } from '../control/client/rest-client.js';
import { rfc3339 } from '../control/util/clock.js';
import type { Runtime } from '../cri/types.js';
import { rejectedStatus } from './admission.js';
import type { Rejection } from './admission.js';
import type { PodSyncer } from './pod-sync.js';
import { KUBELET_CONDITIONS } from './pod-status.js';
import { loadPodRuntime } from './runtime-state.js';
import type { StatusTarget, StatusWriter } from './status-writer.js';

const PODS = findResource('', 'v1', 'pods')!;
const MAX_ERROR_BACKOFF_MS = 10_000;

export interface PodWorkerOptions {
  pod: Pod;
  client: RestClient;
  runtime: Runtime;
  syncer: PodSyncer;
  statusWriter: StatusWriter;
  log: Logger;
  /** Periodic resync even without events (refreshes volumes, catches anything missed). */
  resyncMs: number;
  /** Where the status goes (a static pod's mirror); default: the pod itself. */
  statusTarget?(pod: Pod): StatusTarget | undefined;
  /** Static pods are not deleted through the API. */
  confirmDeletion: boolean;
  /** Refused at admission: the pod is reported Failed and no container of it ever starts. */
  rejection?: Rejection;
  onFinished(uid: string): void;
}

export class PodWorker {
  private pod: Pod;
  private removed = false;
  private dirty = true;
  private wakeUp?: () => void;
  private timer?: NodeJS.Timeout;
  private errors = 0;

  constructor(private readonly o: PodWorkerOptions) { this.pod = o.pod; }

  get uid(): string { return this.pod.metadata?.uid ?? ''; }
  get current(): Pod { return this.pod; }

  update(pod: Pod): void { this.pod = pod; this.wake(); }

  /** The pod is gone from its source: terminate it (grace from the last known object). */
  remove(): void { this.removed = true; this.wake(); }

  /** Out of admission's count (upstream filterOutTerminatedPods): refused, removed, or in a terminal phase. */
  isTerminated(): boolean {
    if (this.removed || this.o.rejection) return true;
    const phases = [this.o.statusWriter.lastWritten(this.uid)?.phase, this.pod.status?.phase];
    return phases.includes('Failed') || phases.includes('Succeeded');
  }

  wake(): void {
    this.dirty = true;
    this.wakeUp?.();
  }

  async run(signal: AbortSignal): Promise<void> {
    const onAbort = () => this.wakeUp?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (!this.dirty) await new Promise<void>((r) => { this.wakeUp = r; });
        this.wakeUp = undefined;
        if (signal.aborted) return;
        this.dirty = false;
        clearTimeout(this.timer);
        const pod = this.pod;
        const log = this.o.log;
        try {
          if (this.removed || pod.metadata?.deletionTimestamp) {
            await this.terminate(pod);
            this.o.onFinished(this.uid);
            return;
          }
          const t0 = Date.now();
          const target = this.o.statusTarget ? this.o.statusTarget(pod) : { namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '', current: pod.status };
          if (this.o.rejection) {
            const sent = this.o.statusWriter.lastWritten(this.uid);
            if (target) await this.o.statusWriter.write(this.uid, target, sent ?? rejectedStatus(pod, this.o.rejection, rfc3339(new Date())));
            this.errors = 0;
            continue;
          }
          const effective = this.effective(pod);
          const r = await this.o.syncer.sync(effective);
          if (target) await this.o.statusWriter.write(this.uid, target, r.status);
          this.errors = 0;
          log.debug({ elapsedMs: Date.now() - t0, phase: r.status.phase }, 'Synced pod');
          this.schedule(Math.min(r.requeueAfterMs ?? Infinity, this.o.resyncMs));
        } catch (err) {
          if (signal.aborted) return;
          this.errors++;
          log.warn({ err }, 'Failed to sync pod');
          this.schedule(Math.min(MAX_ERROR_BACKOFF_MS, 100 * 2 ** this.errors));
        }
      }
    } finally {
      clearTimeout(this.timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The pod with the freshest status: what this node last wrote if the API has not caught up. */
  private effective(pod: Pod): Pod {
    const last = this.o.statusWriter.lastWritten(this.uid);
    if (!last) return pod;
    const apiTerminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    // the node's own conditions as last written; everyone else's (PodScheduled, readiness gates) as the API has them now
    const status: PodStatus = apiTerminal ? pod.status ?? {} : {
      ...last,
      conditions: [...(last.conditions ?? []).filter((c) => KUBELET_CONDITIONS.has(c.type)), ...(pod.status?.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type))],
    };
    return { ...pod, status };
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (!Number.isFinite(ms)) return;
    this.timer = setTimeout(() => this.wake(), Math.max(1, ms));
    this.timer.unref();
  }

  private async terminate(pod: Pod): Promise<void> {
    const md = pod.metadata ?? {};
    const grace = md.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    const state = await loadPodRuntime(this.o.runtime, this.uid);
    await this.o.syncer.stopAll(pod, state, grace);
    await this.o.syncer.removeAll(pod); // never blocks: what cannot go now is retried by garbage collection
    await this.o.syncer.forget(pod);
    this.o.statusWriter.forget(this.uid);
    this.o.log.info({ gracePeriodSeconds: grace }, 'Terminated pod');
    if (this.removed || !this.o.confirmDeletion) return;
    try {
      await this.o.client.delete(PODS, md.namespace, md.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: md.uid } });
    } catch (err) {
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }
}
