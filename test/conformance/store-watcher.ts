/** Test helper: drives one Store.watch iterator with timeouts, so a missing event fails instead of hanging. */
import type { Revision, Store, WatchEvent } from '../../control/store/types.js';

export class TestWatcher {
  private readonly ac = new AbortController();
  private readonly it: AsyncIterator<WatchEvent>;
  private pending: Promise<IteratorResult<WatchEvent>> | undefined;

  constructor(store: Store, prefix: string, from: Revision) {
    this.it = store.watch(prefix, from, this.ac.signal)[Symbol.asyncIterator]();
  }

  get signal(): AbortSignal { return this.ac.signal; }

  /** The next `n` events; fails if they do not all arrive within timeoutMs. */
  async take(n: number, timeoutMs = 5000): Promise<WatchEvent[]> {
    const out: WatchEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    while (out.length < n) {
      const r = await this.nextWithin(deadline - Date.now());
      if (r === 'timeout') throw new Error(`watch: got ${out.length} of ${n} events before timeout`);
      if (r.done) throw new Error(`watch: ended after ${out.length} of ${n} events`);
      out.push(r.value);
    }
    return out;
  }

  /** Resolves 'timeout' if nothing arrives within ms, else the iterator result. */
  async nextWithin(ms: number): Promise<IteratorResult<WatchEvent> | 'timeout'> {
    this.pending ??= this.it.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), Math.max(0, ms)); });
    try {
      const r = await Promise.race([this.pending, timeout]);
      if (r !== 'timeout') this.pending = undefined;
      return r;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asserts nothing more arrives for ms. */
  async expectIdle(ms = 30): Promise<void> {
    const r = await this.nextWithin(ms);
    if (r !== 'timeout') throw new Error(`watch: unexpected ${r.done ? 'end' : `event at revision ${r.value.kv.modRevision}`}`);
  }

  stop(): void { this.ac.abort(); }
}
