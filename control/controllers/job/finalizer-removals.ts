/**
 * Finalizer-removal expectations (upstream the Job controller's finalizerExpectations): per Job,
 * the uids of pods whose tracking-finalizer removal was sent but is not yet seen in the cache, so
 * a lagging cache does not make the controller count such a pod twice.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { hasTrackingFinalizer } from './job-pods.js';

export class FinalizerRemovals {
  private readonly byJob = new Map<string, Set<string>>();

  /**
   * The uids still on their way to the cache, pruned of those whose cached pod (`pods`, the Job's)
   * no longer holds the finalizer. The returned set is live: add the uids of new removals to it.
   */
  pending(key: string, pods: readonly Pod[]): Set<string> {
    const set = this.byJob.get(key) ?? new Set<string>();
    const stillHeld = new Set(pods.filter(hasTrackingFinalizer).map((p) => p.metadata?.uid ?? ''));
    for (const id of set) if (!stillHeld.has(id)) set.delete(id);
    this.byJob.set(key, set);
    return set;
  }

  /** The Job is gone. */
  forget(key: string): void { this.byJob.delete(key); }
}
