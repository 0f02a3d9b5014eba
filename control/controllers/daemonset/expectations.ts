/**
 * Controller expectations (client-go's ControllerExpectations, simplified): after a controller
 * creates or deletes pods it records how many events it expects to see; until the informer has
 * delivered them (or the expectations expire) its cache is stale for that key and the controller
 * must not create or delete again. Informer handlers call the *Observed methods. The timeout runs on
 * real time: it bounds event delivery latency, not workload time.
 */
/** Upstream ExpectationsTimeout: 5 minutes. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Pending { adds: number; dels: number; at: number }

export class ControllerExpectations {
  private readonly pending = new Map<string, Pending>();

  expectCreations(key: string, n: number): void { this.raise(key, n, 0); }
  expectDeletions(key: string, n: number): void { this.raise(key, 0, n); }

  creationObserved(key: string): void { this.lower(key, 1, 0); }
  deletionObserved(key: string): void { this.lower(key, 0, 1); }

  /** True when nothing is pending for key (or what is pending has expired). */
  satisfied(key: string): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    if (p.adds <= 0 && p.dels <= 0) return true;
    return Date.now() - p.at > EXPECTATIONS_TIMEOUT_MS;
  }

  forget(key: string): void { this.pending.delete(key); }

  private raise(key: string, adds: number, dels: number): void {
    if (adds === 0 && dels === 0) return;
    const p = this.pending.get(key);
    if (!p || (p.adds <= 0 && p.dels <= 0)) {
      this.pending.set(key, { adds: Math.max(adds, 0), dels: Math.max(dels, 0), at: Date.now() });
      return;
    }
    p.adds += adds;
    p.dels += dels;
  }

  private lower(key: string, adds: number, dels: number): void {
    const p = this.pending.get(key);
    if (!p) return;
    p.adds -= adds;
    p.dels -= dels;
  }
}
