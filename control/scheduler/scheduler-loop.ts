/**
 * The scheduling loop: pop a pod, run one cycle, and either assume it on the chosen node and bind
 * in the background (the next pod already sees the assumed placement), or park it as
 * unschedulable and report why. The same loop runs in the scheduler and in the benchmark; only the
 * Binder and the Reporter differ.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import { failureMessage } from './fit-error.js';
import type { Framework } from './framework.js';
import { buildPodInfo } from './pod-info.js';
import type { QueuedPod, SchedulingQueue } from './queue.js';

export interface Binder {
  /** Bind the pod to the node (POST pods/binding); rejects when the API server refuses. */
  bind(pod: Pod, nodeName: string): Promise<void>;
}

export interface Reporter {
  scheduled(pod: Pod, nodeName: string): void;
  /** No node fit: `message` is the upstream FailedScheduling text. */
  unschedulable(pod: Pod, message: string): void;
  bindFailed(pod: Pod, err: unknown): void;
}

export interface SchedulerLoopOptions {
  framework: Framework;
  queue: SchedulingQueue;
  binder: Binder;
  reporter?: Reporter;
  log: Logger;
  /**
   * The freshest copy of a queued pod, or undefined when it should no longer be scheduled (deleted,
   * bound elsewhere). Absent: the queued copy is used as is.
   */
  lookup?: (key: string) => Pod | undefined;
  /** Give the event loop a turn at least this often while pods keep coming (ms). */
  yieldEveryMs?: number;
}

export class SchedulerLoop {
  private readonly inflightBinds = new Set<Promise<void>>();

  constructor(private readonly o: SchedulerLoopOptions) {}

  async run(signal: AbortSignal): Promise<void> {
    const yieldEvery = this.o.yieldEveryMs ?? 10;
    let lastYield = Date.now();
    while (!signal.aborted) {
      const qp = await this.o.queue.pop(signal);
      if (!qp) break;
      this.scheduleOne(qp);
      if (Date.now() - lastYield >= yieldEvery) {
        await new Promise<void>((r) => setImmediate(r));
        lastYield = Date.now();
      }
    }
  }

  /** Binds still in flight (the benchmark and tests wait for them). */
  async drain(): Promise<void> {
    while (this.inflightBinds.size > 0) await Promise.all([...this.inflightBinds]);
  }

  scheduleOne(qp: QueuedPod): void {
    const { framework, queue } = this.o;
    const snapshot = framework.snapshot;
    const pod = this.o.lookup ? this.o.lookup(qp.key) : qp.pod;
    if (!pod || snapshot.isAssumed(qp.key)) { queue.delete(qp.key); return; }
    qp.pod = pod;
    const info = buildPodInfo(pod);
    let result;
    try {
      result = framework.schedule(pod, info);
    } catch (err) {
      this.o.log.error({ err, pod: qp.key }, 'Scheduling cycle failed');
      queue.addBackoff(qp);
      return;
    }
    if (!result.ok) {
      const plugins = new Set<string>();
      for (const st of result.diagnosis.values()) if (st.plugin) plugins.add(st.plugin);
      queue.addUnschedulable(qp, plugins);
      const message = failureMessage(pod, result);
      this.o.log.debug({ pod: qp.key, message }, 'Pod is unschedulable');
      this.o.reporter?.unschedulable(pod, message);
      return;
    }
    const nodeName = result.nodeName;
    snapshot.assume(info, nodeName);
    queue.done(qp.key);
    const p = this.bind(qp, pod, nodeName);
    this.inflightBinds.add(p);
    void p.finally(() => this.inflightBinds.delete(p));
  }

  private async bind(qp: QueuedPod, pod: Pod, nodeName: string): Promise<void> {
    try {
      await this.o.binder.bind(pod, nodeName);
    } catch (err) {
      this.o.framework.snapshot.forget(qp.key);
      this.o.log.warn({ err, pod: qp.key, node: nodeName }, 'Failed to bind pod');
      if (!this.o.lookup || this.o.lookup(qp.key)) this.o.queue.addBackoff(qp);
      this.o.reporter?.bindFailed(pod, err);
      return;
    }
    this.o.log.debug({ pod: qp.key, node: nodeName }, 'Bound pod');
    this.o.reporter?.scheduled(pod, nodeName);
  }
}
