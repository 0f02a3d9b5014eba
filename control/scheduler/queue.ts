/**
 * The scheduling queue (upstream PriorityQueue, simplified). Three places a pending pod can be:
 *
 *   active        ordered by priority (high first), then by when it was queued; pop() takes from here
 *   backoff       failed recently; waits 1 s · 2^(attempts-1), at most 10 s, then goes to active
 *   unschedulable no node fit; waits for a cluster event one of its rejecting plugins cares about
 *                 (or 5 minutes), then goes to backoff or active
 *
 * A cluster event that arrives while a pod is being scheduled sends that pod to backoff instead of
 * unschedulable if it fails, so the event is not missed. Time comes from an injected Clock; a single
 * timer wakes the queue when the earliest backoff ends (no polling).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { keyOf } from '../api/object.js';
import type { Clock } from '../util/clock.js';
import { Heap } from './heap.js';
import type { ClusterEvent } from './types.js';

export interface QueuedPod {
  key: string;
  pod: Pod;
  /** When the pod (re)entered the active queue, ms. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the last attempt ended (ms); backoff counts from here. */
  lastFailure?: number;
  /** Plugins that rejected the pod in its last attempt. */
  unschedulablePlugins: ReadonlySet<string>;
  /** The scheduling cycle that popped it. */
  cycle: number;
}

export interface QueueOptions {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxInUnschedulableMs?: number;
}

type Where = 'active' | 'backoff' | 'unschedulable' | 'inflight';
interface Entry { qp: QueuedPod; where: Where; seq: number }

const priority = (p: Pod): number => p.spec?.priority ?? 0;

export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  /** Entries waiting in backoff or unschedulable (so events and flushes skip the rest). */
  private readonly parked = new Set<Entry>();
  private readonly active = new Heap<Entry>((a, b) => {
    const pa = priority(a.qp.pod);
    const pb = priority(b.qp.pod);
    return pa !== pb ? pa > pb : a.qp.timestamp !== b.qp.timestamp ? a.qp.timestamp < b.qp.timestamp : a.seq < b.seq;
  });
  private seq = 0;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private readonly waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private closed = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;

  constructor(private readonly o: QueueOptions) {
    this.initialBackoffMs = o.initialBackoffMs ?? 1000;
    this.maxBackoffMs = o.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = o.maxInUnschedulableMs ?? 5 * 60_000;
  }

  private now(): number { return this.o.clock.now().getTime(); }

  /** A new pending pod (or an update of a queued one). */
  add(pod: Pod): void {
    const key = keyOf(pod);
    const e = this.entries.get(key);
    if (e) { e.qp.pod = pod; return; }
    const qp: QueuedPod = { key, pod, timestamp: this.now(), attempts: 0, unschedulablePlugins: new Set(), cycle: 0 };
    this.toActive({ qp, where: 'active', seq: 0 });
  }

  /** A queued pod changed; `specChanged` (ignoring status) retries an unschedulable pod now. */
  update(pod: Pod, opts: { specChanged: boolean }): void {
    const e = this.entries.get(keyOf(pod));
    if (!e) { this.add(pod); return; }
    e.qp.pod = pod;
    if (e.where === 'unschedulable' && opts.specChanged) this.release(e);
  }

  /** The pod is gone (deleted, or bound by someone else). */
  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.parked.delete(e);
    e.where = 'inflight'; // a stale heap entry is skipped on pop
  }

  has(key: string): boolean { return this.entries.has(key); }

  /** The next active pod, without waiting (backoffs end through the timer or flush()). */
  tryPop(): QueuedPod | undefined {
    for (;;) {
      const e = this.active.pop();
      if (!e) return undefined;
      if (e.where !== 'active' || this.entries.get(e.qp.key) !== e) continue;
      e.where = 'inflight';
      e.qp.attempts++;
      e.qp.cycle = ++this.schedulingCycle;
      return e.qp;
    }
  }

  /** Wait for the next pod; undefined when the signal aborts or the queue closes. */
  async pop(signal: AbortSignal): Promise<QueuedPod | undefined> {
    for (;;) {
      if (signal.aborted || this.closed) return undefined;
      const qp = this.tryPop();
      if (qp) return qp;
      await new Promise<void>((resolve) => {
        const wake = () => { signal.removeEventListener('abort', wake); resolve(); };
        this.waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Scheduling finished with the pod bound (or assumed): forget it. */
  done(key: string): void {
    const e = this.entries.get(key);
    if (e?.where === 'inflight') this.entries.delete(key);
  }

  /** No node fit: park until an event `plugins` care about (or backoff, if one came in meanwhile). */
  addUnschedulable(qp: QueuedPod, plugins: ReadonlySet<string>): void {
    const e = this.entries.get(qp.key);
    if (!e || e.qp !== qp) return;
    qp.unschedulablePlugins = plugins;
    qp.lastFailure = this.now();
    if (this.moveRequestCycle >= qp.cycle) { this.toBackoff(e); return; }
    e.where = 'unschedulable';
    this.parked.add(e);
    this.arm(qp.lastFailure + this.maxInUnschedulableMs);
  }

  /** An error (e.g. the bind failed): retry after the pod's backoff. */
  addBackoff(qp: QueuedPod): void {
    let e = this.entries.get(qp.key);
    if (!e) { e = { qp, where: 'inflight', seq: 0 }; this.entries.set(qp.key, e); } // done() already dropped it
    if (e.qp !== qp) return; // re-added by an update meanwhile
    qp.lastFailure = this.now();
    this.toBackoff(e);
  }

  /** A cluster event: move unschedulable pods whose rejecting plugins care about it. */
  onClusterEvent(event: ClusterEvent, interested: (plugins: ReadonlySet<string>, event: ClusterEvent) => boolean = () => true): void {
    this.moveRequestCycle = this.schedulingCycle;
    for (const e of [...this.parked]) {
      if (e.where === 'unschedulable' && (e.qp.unschedulablePlugins.size === 0 || interested(e.qp.unschedulablePlugins, event))) this.release(e);
    }
  }

  /** Move pods whose backoff ended, and pods unschedulable for too long. The timer calls this too. */
  flush(): void {
    const now = this.now();
    let next = Infinity;
    for (const e of [...this.parked]) {
      if (e.where === 'backoff') {
        const until = this.backoffUntil(e.qp);
        if (until <= now) this.toActive(e); else next = Math.min(next, until);
      } else if (e.where === 'unschedulable') {
        const until = (e.qp.lastFailure ?? 0) + this.maxInUnschedulableMs;
        if (until <= now) this.release(e); else next = Math.min(next, until);
      }
    }
    this.timerDue = Infinity;
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.arm(next);
  }

  counts(): Record<Where, number> {
    const c: Record<Where, number> = { active: 0, backoff: 0, unschedulable: 0, inflight: 0 };
    for (const e of this.entries.values()) c[e.where]++;
    return c;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.waiters.splice(0)) w();
  }

  /** When the pod's current backoff ends (ms). */
  backoffUntil(qp: QueuedPod): number {
    const d = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.max(0, qp.attempts - 1));
    return (qp.lastFailure ?? 0) + d;
  }

  private release(e: Entry): void {
    if (this.backoffUntil(e.qp) > this.now()) this.toBackoff(e); else this.toActive(e);
  }

  private toBackoff(e: Entry): void {
    e.where = 'backoff';
    this.parked.add(e);
    this.arm(this.backoffUntil(e.qp));
  }

  private toActive(e: Entry): void {
    this.parked.delete(e);
    const fresh: Entry = { qp: e.qp, where: 'active', seq: this.seq++ };
    if (e.where !== 'active' || e.seq !== 0) fresh.qp.timestamp = this.now();
    this.entries.set(e.qp.key, fresh);
    this.active.push(fresh);
    const w = this.waiters.shift();
    if (w) w();
  }

  private arm(due: number): void {
    if (this.closed || due >= this.timerDue || !Number.isFinite(due)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => { this.timer = undefined; this.timerDue = Infinity; this.flush(); }, Math.max(0, due - this.now()));
    this.timer.unref?.();
  }
}
