/**
 * In-process fan-out of committed store events to watchers, shared by the memory and sqlite backends.
 *
 * A backend publishes each event synchronously right after its write commits. `followFrom()` is the
 * kine-style watch: it subscribes first, then replays the backlog from the log, then follows the live
 * subscription, skipping anything at or below the last revision it yielded, so nothing is missed or
 * repeated even when writes land while the backlog is being read.
 */
import { StoreError } from './types.js';
import type { Revision, WatchEvent } from './types.js';

/** Events buffered per watcher before it is cut off as too slow. */
export const DEFAULT_MAX_BUFFERED = 100_000;
/** Backlog rows read per page while catching up. */
export const BACKLOG_PAGE = 500;

/** One watcher's queue of live events. */
export class Subscription {
  private queue: WatchEvent[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  private failure: StoreError | undefined;

  constructor(
    readonly prefix: string,
    private readonly maxBuffered: number,
    private readonly onClose: (s: Subscription) => void,
  ) {}

  push(ev: WatchEvent): void {
    if (this.closed) return;
    if (this.queue.length - this.head >= this.maxBuffered) {
      this.fail(new StoreError('Unavailable', `watch ${this.prefix}: watcher fell ${this.maxBuffered} events behind`));
      return;
    }
    this.queue.push(ev);
    this.notify();
  }

  /** Ends the subscription: next() drains nothing more and resolves undefined. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.head = 0;
    this.onClose(this);
    this.notify();
  }

  /** Next buffered event; undefined once closed. Rejects with the failure that closed it, if any. */
  async next(): Promise<WatchEvent | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.closed) return undefined;
      if (this.head < this.queue.length) {
        const ev = this.queue[this.head];
        this.queue[this.head++] = undefined as unknown as WatchEvent; // release for GC
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        return ev;
      }
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  private fail(err: StoreError): void {
    this.failure = err;
    this.close();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

export class WatchHub {
  private readonly subs = new Set<Subscription>();

  constructor(private readonly maxBuffered = DEFAULT_MAX_BUFFERED) {}

  /** Registers a watcher synchronously; every event published afterwards with a matching key reaches it. */
  subscribe(prefix: string, signal: AbortSignal): Subscription {
    const onAbort = (): void => sub.close();
    const sub = new Subscription(prefix, this.maxBuffered, (s) => {
      this.subs.delete(s);
      signal.removeEventListener('abort', onAbort);
    });
    this.subs.add(sub);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) sub.close();
    return sub;
  }

  publish(ev: WatchEvent): void {
    if (this.subs.size === 0) return;
    const key = ev.kv.key;
    for (const s of this.subs) if (key.startsWith(s.prefix)) s.push(ev);
  }

  get size(): number { return this.subs.size; }

  /** Ends every watcher (store closing). */
  closeAll(): void {
    for (const s of [...this.subs]) s.close();
  }
}

export interface FollowOptions {
  hub: WatchHub;
  prefix: string;
  from: Revision;
  signal: AbortSignal;
  /** Newest committed revision, read synchronously right after subscribing. */
  headRevision(): Revision;
  /**
   * Up to `limit` events matching the prefix with after < modRevision <= upTo, ascending.
   * Must throw StoreError('Compacted') when `after` is below the compact revision.
   */
  readBacklog(after: Revision, upTo: Revision, limit: number): readonly WatchEvent[];
}

/** Every event with modRevision > from, in order, exactly once; ends when the signal aborts or the hub closes. */
export async function* followFrom(opts: FollowOptions): AsyncGenerator<WatchEvent, void, undefined> {
  const { hub, prefix, signal } = opts;
  if (signal.aborted) return;
  const sub = hub.subscribe(prefix, signal);
  try {
    // Subscribed and read the head in one synchronous step: everything above upTo arrives via sub.
    const upTo = opts.headRevision();
    let last = opts.from;
    while (last < upTo) {
      const page = opts.readBacklog(last, upTo, BACKLOG_PAGE);
      for (const ev of page) {
        if (signal.aborted) return;
        last = ev.kv.modRevision;
        yield ev;
      }
      if (page.length < BACKLOG_PAGE) break;
    }
    for (;;) {
      const ev = await sub.next();
      if (ev === undefined || signal.aborted) return;
      if (ev.kv.modRevision <= last) continue;
      last = ev.kv.modRevision;
      yield ev;
    }
  } finally {
    sub.close();
  }
}
