/**
 * Controller expectations (upstream ControllerExpectations + UIDTrackingControllerExpectations):
 * after a controller asks for N creations or for the deletion of given pods, it does not act on
 * that controller key again until the informer has observed them (or the expectation expired),
 * so a lagging cache never makes it over-create or over-delete. Deletions are tracked by pod key
 * ("namespace/name"), so a pod deleted by someone else does not count as one of ours.
 * Informer handlers feed it through `observePods`.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import type { EventHandler } from '../../client/informer.js';
import type { Clock } from '../../util/clock.js';
import { systemClock } from '../../util/clock.js';

/** Upstream ExpectationsTimeout: an expectation older than this counts as satisfied. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation { adds: number; deletions: Set<string>; at: number }

export class ControllerExpectations {
  private readonly items = new Map<string, Expectation>();
  private readonly clock: Clock;

  /** The clock bounds event-delivery latency; without one it is real time. */
  constructor(o: { clock?: Clock } = {}) { this.clock = o.clock ?? systemClock; }

  /** True when nothing is pending for the key (or never recorded, or expired). */
  satisfied(key: string): boolean {
    const e = this.items.get(key);
    return !e || this.fulfilled(e) || this.expired(e);
  }

  /** Expect `n` more creations; starts afresh when nothing is pending. */
  expectCreations(key: string, n: number): void {
    this.pending(key).adds += n;
  }

  /** Expect the deletion of these pods ("namespace/name"); starts afresh when nothing is pending. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    const e = this.pending(key);
    for (const k of podKeys) e.deletions.add(k);
  }

  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  /** Idempotent: a pod observed twice (deleting, then gone) or not expected changes nothing. */
  deletionObserved(key: string, podKey: string): void {
    this.items.get(key)?.deletions.delete(podKey);
  }

  /** The controller object is gone. */
  delete(key: string): void { this.items.delete(key); }

  /** The record still waited on, or a fresh one replacing a fulfilled or expired record. */
  private pending(key: string): Expectation {
    const e = this.items.get(key);
    if (e && !this.fulfilled(e) && !this.expired(e)) return e;
    const fresh: Expectation = { adds: 0, deletions: new Set(), at: this.clock.now().getTime() };
    this.items.set(key, fresh);
    return fresh;
  }

  private fulfilled(e: Expectation): boolean { return e.adds <= 0 && e.deletions.size === 0; }
  private expired(e: Expectation): boolean { return this.clock.now().getTime() - e.at > EXPECTATIONS_TIMEOUT_MS; }
}

/**
 * Pod informer handlers lowering the expectations of the controllers `owners(pod)` names: a new
 * pod is an observed creation (or deletion, when it is already being deleted); a pod that starts
 * terminating or disappears is an observed deletion.
 */
export function observePods<T extends Pod & KubeObject>(expectations: ControllerExpectations, owners: (pod: T) => readonly string[]): EventHandler<T> {
  return {
    add: (p) => {
      for (const k of owners(p)) {
        if (p.metadata?.deletionTimestamp) expectations.deletionObserved(k, keyOf(p));
        else expectations.creationObserved(k);
      }
    },
    update: (old, p) => {
      if (!p.metadata?.deletionTimestamp || old.metadata?.deletionTimestamp) return;
      for (const k of owners(p)) expectations.deletionObserved(k, keyOf(p));
    },
    delete: (p) => {
      for (const k of owners(p)) expectations.deletionObserved(k, keyOf(p));
    },
  };
}
