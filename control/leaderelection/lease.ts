/**
 * Leader election on a Lease, with client-go's timings and rules: a candidate takes the lease when it
 * is free (no holder) or expired (renewTime + leaseDurationSeconds is past), then renews it every
 * retryPeriod; a leader that has not renewed for renewDeadline stops leading. Every write is a
 * compare-and-swap on the resourceVersion it read. Taking over from another holder increments
 * leaseTransitions. On a graceful stop the leader releases the lease (no holder, 1 s duration) so a
 * candidate takes over at once (ReleaseOnCancel).
 *
 *   candidate --acquired--> leader --renew failed for renewDeadline--> candidate (again)
 *                              \--stop signal--> release --> done
 */
import type { Logger } from 'pino';
import { sleep as realSleep } from '../util/abort.js';
import type { Clock } from '../util/clock.js';
import type { LeaderRecord, LeaseLock, ObservedRecord } from './lease-lock.js';

export interface LeaderCallbacks {
  /** Starts the leader's work; it must end when `signal` aborts (a returned promise settles then). */
  onStartedLeading(signal: AbortSignal): Promise<void> | void;
  /** Called once the work has ended after leadership was lost or given up. */
  onStoppedLeading(): void;
}

export interface LeaderElectorOptions {
  lock: LeaseLock;
  identity: string;
  clock: Clock;
  log: Logger;
  callbacks: LeaderCallbacks;
  leaseDurationMs?: number;   // 15 s
  renewDeadlineMs?: number;   // 10 s
  retryPeriodMs?: number;     // 2 s
  /** Waits between attempts; tests pass one that advances a FakeClock. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;

export function isExpired(r: LeaderRecord, now: Date): boolean {
  if (!r.renewTime) return true;
  return r.renewTime.getTime() + r.leaseDurationSeconds * 1000 < now.getTime();
}

export class LeaderElector {
  private observed: ObservedRecord | undefined;
  private leading = false;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly o: LeaderElectorOptions) {
    this.leaseDurationMs = o.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewDeadlineMs = o.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.retryPeriodMs = o.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    this.sleep = o.sleep ?? realSleep;
  }

  get identity(): string { return this.o.identity; }
  isLeader(): boolean { return this.leading; }
  /** The holder last seen in the lease ('' when free or unknown). */
  get observedHolder(): string { return this.observed?.record.holderIdentity ?? ''; }

  /** One attempt: take or renew the lease. False when someone else holds it or any call failed. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.o.clock.now();
    const desired: LeaderRecord = {
      holderIdentity: this.o.identity, leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: now, renewTime: now, leaseTransitions: 0,
    };
    try {
      const cur = await this.o.lock.get();
      if (!cur) {
        this.observed = await this.o.lock.create(desired);
        return true;
      }
      this.observed = cur;
      const r = cur.record;
      if (r.holderIdentity === this.o.identity) {
        desired.acquireTime = r.acquireTime ?? now;
        desired.leaseTransitions = r.leaseTransitions;
      } else {
        if (r.holderIdentity !== '' && !isExpired(r, now)) return false;
        desired.leaseTransitions = r.leaseTransitions + 1;
      }
      this.observed = await this.o.lock.update(desired, cur.resourceVersion);
      return true;
    } catch (err) {
      this.o.log.debug({ err, lease: this.o.lock.description }, 'Failed to acquire or renew the lease');
      return false;
    }
  }

  /** Gives the lease up if this elector holds it (idempotent; failures are logged, not thrown). */
  async release(): Promise<void> {
    const cur = this.observed;
    if (!cur || cur.record.holderIdentity !== this.o.identity) return;
    const now = this.o.clock.now();
    try {
      this.observed = await this.o.lock.update({
        holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: cur.record.leaseTransitions,
      }, cur.resourceVersion);
      this.o.log.info({ identity: this.o.identity, lease: this.o.lock.description }, 'Released leadership');
    } catch (err) {
      this.o.log.warn({ err, lease: this.o.lock.description }, 'Failed to release the lease');
    }
  }

  /** Campaigns, leads, and campaigns again after a loss, until `signal` aborts; then releases. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.acquire(signal))) return;
      await this.lead(signal);
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    let lastHolder: string | undefined;
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) return true;
      if (this.observedHolder !== lastHolder) {
        lastHolder = this.observedHolder;
        this.o.log.info({ identity: this.o.identity, holder: lastHolder, lease: this.o.lock.description }, 'Waiting for the lease');
      }
      await this.sleep(this.retryPeriodMs * (1 + Math.random() * 0.2), signal); // client-go's JitterFactor 1.2
    }
    return false;
  }

  private async lead(signal: AbortSignal): Promise<void> {
    const fields = { identity: this.o.identity, lease: this.o.lock.description };
    const leading = new AbortController();
    const onAbort = (): void => leading.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.leading = true;
    this.o.log.info(fields, 'became leader');
    const work = Promise.resolve()
      .then(() => this.o.callbacks.onStartedLeading(leading.signal))
      .catch((err: unknown) => this.o.log.error({ err }, 'Leader work failed'));
    let lastRenew = this.o.clock.now().getTime();
    while (!signal.aborted) {
      await this.sleep(this.retryPeriodMs, signal);
      if (signal.aborted) break;
      const left = Math.max(0, lastRenew + this.renewDeadlineMs - this.o.clock.now().getTime());
      if (await withTimeout(this.tryAcquireOrRenew(), left)) {
        lastRenew = this.o.clock.now().getTime();
      } else if (this.o.clock.now().getTime() - lastRenew >= this.renewDeadlineMs) {
        this.o.log.warn({ ...fields, holder: this.observedHolder }, 'lost leadership');
        break;
      }
    }
    signal.removeEventListener('abort', onAbort);
    leading.abort();
    this.leading = false;
    await work;
    if (signal.aborted) await this.release();
    this.o.callbacks.onStoppedLeading();
  }
}

/** The attempt's answer, or false after `ms` of real time (a hung request must not keep us leading). */
async function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  const ac = new AbortController();
  try {
    return await Promise.race([p, realSleep(Math.max(ms, 1), ac.signal).then(() => false)]);
  } finally {
    ac.abort();
  }
}
