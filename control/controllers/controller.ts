/**
 * The generic controller (sample-controller's shape): informers feed keys into a work queue;
 * workers reconcile one key at a time, level-based, reading from caches; a throw requeues the key
 * with per-key backoff, `requeueAfterMs` schedules a later look. Workers start once caches synced.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.js';
import type { Informer } from '../client/informer.js';
import { WorkQueue } from '../util/workqueue.js';

export type ObjectKey = string; // "namespace/name" or "name"
export type ReconcileResult = { requeueAfterMs: number } | void;

export interface Reconciler {
  /** Idempotent. NotFound (the object is gone) means done. */
  reconcile(key: ObjectKey, signal: AbortSignal): Promise<ReconcileResult>;
}

export interface WatchSource {
  informer: Informer<KubeObject>;
  /** Keys to reconcile when this object changes (the object itself, or its controller owner). */
  toKeys(obj: KubeObject): ObjectKey[];
}

export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  workers: number;
  log: Logger;
  watches: WatchSource[];
  /** Per-key retry backoff (tests shorten it). */
  baseDelayMs?: number;
}

export class Controller {
  readonly queue: WorkQueue<ObjectKey>;

  constructor(private readonly o: ControllerOptions) {
    this.queue = new WorkQueue<ObjectKey>({ baseDelayMs: o.baseDelayMs ?? 5 });
    for (const w of o.watches) {
      const enqueue = (obj: KubeObject) => { for (const k of w.toKeys(obj)) this.queue.add(k); };
      w.informer.on({ add: enqueue, update: (old, obj) => { enqueue(old); enqueue(obj); }, delete: enqueue });
    }
  }

  enqueue(key: ObjectKey): void { this.queue.add(key); }

  async run(signal: AbortSignal): Promise<void> {
    const log = this.o.log;
    for (const w of this.o.watches) if (!(await w.informer.waitForSync(signal))) return;
    log.info({ workers: this.o.workers }, 'Started controller');
    signal.addEventListener('abort', () => this.queue.shutdown(), { once: true });
    await Promise.all(Array.from({ length: this.o.workers }, () => this.worker(signal)));
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get(signal);
      if (key === undefined) return;
      const started = Date.now();
      try {
        const res = await this.o.reconciler.reconcile(key, signal);
        this.queue.forget(key);
        if (res && res.requeueAfterMs >= 0) this.queue.addAfter(key, res.requeueAfterMs);
        this.o.log.debug({ key, elapsedMs: Date.now() - started }, 'Reconciled');
      } catch (err) {
        if (signal.aborted) return;
        this.o.log.warn({ err, key }, 'Reconcile failed; requeued');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }
}

/** Keys of an object and of its controller owner of a given kind. */
export function controllerOwnerKey(obj: KubeObject, kind: string): ObjectKey[] {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind);
  if (!ref) return [];
  const ns = obj.metadata?.namespace;
  return [ns ? `${ns}/${ref.name}` : ref.name];
}

export function splitKey(key: ObjectKey): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
