/**
 * Pod-recreation backoff for Jobs (upstream backoff_utils): after n failures since the last
 * success, wait base·2^(n-1) (capped) from the last failure before creating pods again. The
 * records live in memory, keyed by Job, as upstream's podBackoffStore does.
 */

export interface BackoffRecord { failuresAfterLastSuccess: number; lastFailureMs?: number }

export const DEFAULT_BACKOFF_BASE_MS = 10_000;
export const DEFAULT_BACKOFF_MAX_MS = 6 * 60_000;

/** PURE: milliseconds still to wait at `nowMs` (0 = create now). */
export function remainingBackoffMs(rec: BackoffRecord | undefined, nowMs: number, baseMs: number, maxMs: number): number {
  if (!rec || rec.failuresAfterLastSuccess === 0 || rec.lastFailureMs === undefined) return 0;
  let d = baseMs;
  for (let i = 1; i < rec.failuresAfterLastSuccess; i++) {
    d *= 2;
    if (d >= maxMs) { d = maxMs; break; }
  }
  return Math.max(0, rec.lastFailureMs + d - nowMs);
}

export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  get(key: string): BackoffRecord | undefined { return this.records.get(key); }

  /** The record after newly counted pods: a success resets it, failures add up. */
  next(key: string, newSucceeded: number, newFailed: number, nowMs: number): BackoffRecord {
    const cur = this.records.get(key) ?? { failuresAfterLastSuccess: 0 };
    if (newSucceeded > 0) return { failuresAfterLastSuccess: 0 };
    if (newFailed === 0) return cur;
    return { failuresAfterLastSuccess: cur.failuresAfterLastSuccess + newFailed, lastFailureMs: nowMs };
  }

  set(key: string, rec: BackoffRecord): void { this.records.set(key, rec); }
  forget(key: string): void { this.records.delete(key); }
}
