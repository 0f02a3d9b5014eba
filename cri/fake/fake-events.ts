/** The FakeRuntime's event bus: RuntimeEvents to subscribers, plus a "something changed" pulse. */
import type { RuntimeEvent } from '../types.js';

export class FakeEvents {
  private readonly subscribers = new Set<(e: RuntimeEvent) => void>();
  private waiters: Array<() => void> = [];

  emit(e: RuntimeEvent): void {
    for (const s of this.subscribers) s(e);
    this.poke();
  }

  /** Wake everyone waiting in changed(). */
  poke(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves at the next emit/poke, or when the signal aborts. */
  changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) { resolve(); return; }
      const done = () => { signal.removeEventListener('abort', done); resolve(); };
      this.waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  async *subscribe(signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    const queue: RuntimeEvent[] = [];
    let wake: (() => void) | undefined;
    const push = (e: RuntimeEvent) => { queue.push(e); wake?.(); };
    const onAbort = () => wake?.();
    this.subscribers.add(push);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        const e = queue.shift();
        if (e) { yield e; continue; }
        await new Promise<void>((r) => { wake = r; });
        wake = undefined;
      }
    } finally {
      this.subscribers.delete(push);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
