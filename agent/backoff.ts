/**
 * Keyed exponential backoff as kubelet's flowcontrol.Backoff: next() starts at `initialMs` and
 * doubles to `maxMs`; an entry idle for 2×max is forgotten (the delay starts over).
 */
import type { Clock } from '../control/util/clock.js';

interface Entry { delayMs: number; lastUpdate: number }

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly o: { initialMs: number; maxMs: number; clock: Clock }) {}

  private now(): number { return this.o.clock.now().getTime(); }

  /** The current delay for `key` (0 when none). */
  get(key: string): number { return this.entries.get(key)?.delayMs ?? 0; }

  /** Move `key` to its next delay (the first is initialMs) and stamp it now. */
  next(key: string): number {
    const now = this.now();
    const e = this.entries.get(key);
    const fresh = !e || now - e.lastUpdate > 2 * this.o.maxMs;
    const delayMs = fresh ? Math.min(this.o.initialMs, this.o.maxMs) : Math.min(e.delayMs * 2, this.o.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: now });
    return delayMs;
  }

  /** True while `eventTime` + current delay is still ahead (kubelet's IsInBackOffSince). */
  inBackoffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (this.now() - e.lastUpdate > 2 * this.o.maxMs) return false;
    return this.now() - eventTime < e.delayMs;
  }

  /** Milliseconds left of the backoff that started at `eventTime` (0 when over). */
  remaining(key: string, eventTime: number): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, eventTime + e.delayMs - this.now()) : 0;
  }

  /** When `key` last moved (undefined when unknown): the event time for a pull backoff. */
  lastUpdate(key: string): number | undefined { return this.entries.get(key)?.lastUpdate; }

  reset(key: string): void { this.entries.delete(key); }

  /** Forget every key that starts with `prefix` (a pod going away). */
  forgetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
