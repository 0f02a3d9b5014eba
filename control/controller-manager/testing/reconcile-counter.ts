/**
 * Counts the successful reconciles of each key by the generic controllers (each logs one
 * 'Reconciled' line at debug per key it finished), so tests can wait for the controller to have
 * looked at an object instead of sleeping. Its `log` is the logger to give the controllers.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../util/log.js';
import type { Logger } from '../../util/log.js';

export class ReconcileCounter {
  readonly log: Logger;
  private readonly counts = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  constructor() {
    const sink = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line.includes('"Reconciled"')) continue;
          const { key, msg } = JSON.parse(line) as { key?: string; msg?: string };
          if (msg === 'Reconciled' && key !== undefined) this.counts.set(key, this.count(key) + 1);
        }
        for (const w of this.waiters) w();
        cb();
      },
    });
    this.log = createLogger({ level: 'debug', destination: sink });
  }

  count(key: string): number { return this.counts.get(key) ?? 0; }

  /** Resolves once `key` has `n` successful reconciles; rejects after `timeoutMs`. */
  until(key: string, n: number, timeoutMs = 3000): Promise<void> {
    if (this.count(key) >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => { if (this.count(key) >= n) { done(); resolve(); } };
      const timer = setTimeout(() => { done(); reject(new Error(`${key}: ${this.count(key)} reconciles after ${timeoutMs} ms, waiting for ${n}`)); }, timeoutMs);
      const done = () => { clearTimeout(timer); this.waiters.delete(check); };
      this.waiters.add(check);
    });
  }
}
