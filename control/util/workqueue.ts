/**
 * A work queue of keys (client-go's): dedupes, never hands one key to two workers at once, and
 * rate-limits retries per key (5 ms · 2^n, capped at 1000 s).
 */

export class WorkQueue<K> {
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private readonly waiters: Array<(k: K | undefined) => void> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private shutDown = false;

  constructor(private readonly opts: { baseDelayMs?: number; maxDelayMs?: number } = {}) {}

  add(key: K): void {
    if (this.shutDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) { this.dirty.delete(key); this.processing.add(key); w(key); return; }
    this.queue.push(key);
  }

  addAfter(key: K, ms: number): void {
    if (ms <= 0) { this.add(key); return; }
    const t = setTimeout(() => { this.timers.delete(t); this.add(key); }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  addRateLimited(key: K): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const delay = Math.min((this.opts.baseDelayMs ?? 5) * 2 ** n, this.opts.maxDelayMs ?? 1_000_000);
    this.addAfter(key, delay);
  }

  forget(key: K): void { this.failures.delete(key); }

  /** Next key, or undefined once the queue is shut down or the signal aborts. */
  get(signal?: AbortSignal): Promise<K | undefined> {
    if (this.shutDown || signal?.aborted) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => {
      const w = (k: K | undefined) => { signal?.removeEventListener('abort', onAbort); resolve(k); };
      const onAbort = () => { const i = this.waiters.indexOf(w); if (i >= 0) this.waiters.splice(i, 1); resolve(undefined); };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(w);
    });
  }

  /** The worker is finished with `key`; if it was added meanwhile it goes back in the queue. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) { this.dirty.delete(key); this.add(key); }
  }

  get length(): number { return this.queue.length; }

  shutdown(): void {
    this.shutDown = true;
    for (const t of this.timers) clearTimeout(t);
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
