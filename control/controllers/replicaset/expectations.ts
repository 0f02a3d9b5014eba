/**
 * Controller expectations (upstream ControllerExpectations + UIDTrackingControllerExpectations):
 * after a controller asks for N creations or for the deletion of given pods, it does not act on
 * that controller key again until the informer has observed them (or the expectation expires),
 * so a lagging cache never makes it over-create or over-delete.
 */
import type { Clock } from '../../util/clock.js';
import { systemClock } from '../../util/clock.js';

/** Upstream ExpectationsTimeout: an expectation older than this counts as satisfied. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation { add: number; deletions: Set<string>; at: number }

export class ControllerExpectations {
  private readonly items = new Map<string, Expectation>();
  private readonly clock: Clock;

  constructor(o: { clock?: Clock } = {}) { this.clock = o.clock ?? systemClock; }

  /** True when nothing is pending for the key (or never recorded, or expired). */
  satisfied(key: string): boolean {
    const e = this.items.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.deletions.size === 0) return true;
    return this.clock.now().getTime() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.items.set(key, { add: n, deletions: new Set(), at: this.clock.now().getTime() });
  }

  /** `podKeys` are "namespace/name" of the pods whose deletion was requested. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.items.set(key, { add: 0, deletions: new Set(podKeys), at: this.clock.now().getTime() });
  }

  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e && e.add > 0) e.add--;
  }

  deletionObserved(key: string, podKey: string): void {
    this.items.get(key)?.deletions.delete(podKey);
  }

  /** The controller object is gone. */
  delete(key: string): void { this.items.delete(key); }
}
