/**
 * Caps on open watches, per user and in total, so one credential cannot hold the server's memory
 * in streams. Refusals are what upstream's max-in-flight filter answers: 429 TooManyRequests,
 * "Too many requests, please try again later.", Retry-After 1. A slot is held from the moment the
 * watch is admitted until its response closes. system:masters (the admin, the controller manager's
 * loopback client) is never capped, as upstream's flow control exempts it.
 */
import { tooManyRequests } from '../../api/status.js';

/** Who opens a watch: the authenticated user's name and groups. */
export interface Watcher { name: string; groups: readonly string[] }

export interface WatchLimits {
  /** Open watches one user may hold (a node, a ServiceAccount, the admin). */
  perUser: number;
  /** Open watches the server holds for everyone together. */
  total: number;
}

/**
 * Generous enough for what a cluster opens: each agent's informers and netproxy (~10 per node
 * user), kubectl -w; the controller manager and the admin are exempt.
 */
export const DEFAULT_WATCH_LIMITS: WatchLimits = { perUser: 500, total: 5000 };

/** Upstream's exempt priority level matches this group. */
const EXEMPT_GROUP = 'system:masters';

/** Seconds a refused client is told to wait, as max-in-flight tells it. */
const RETRY_AFTER_SECONDS = 1;

export class WatchLimiter {
  private readonly open = new Map<string, number>();
  private all = 0;
  private readonly limits: WatchLimits;

  /** Caps not given keep their DEFAULT_WATCH_LIMITS value. */
  constructor(limits: Partial<WatchLimits> = {}) {
    this.limits = { ...DEFAULT_WATCH_LIMITS, ...limits };
  }

  /**
   * Take a slot for `watcher`; returns the function that gives it back (idempotent). Throws the
   * 429 when either cap is reached.
   */
  acquire(watcher: Watcher): () => void {
    if (watcher.groups.includes(EXEMPT_GROUP)) return () => undefined;
    const user = watcher.name;
    const mine = this.open.get(user) ?? 0;
    if (mine >= this.limits.perUser || this.all >= this.limits.total) {
      throw tooManyRequests('Too many requests, please try again later.', RETRY_AFTER_SECONDS);
    }
    this.open.set(user, mine + 1);
    this.all++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.all--;
      const left = (this.open.get(user) ?? 1) - 1;
      if (left > 0) this.open.set(user, left);
      else this.open.delete(user);
    };
  }

  /** Open watches of one user, or of everyone. */
  count(user?: string): number {
    return user === undefined ? this.all : this.open.get(user) ?? 0;
  }
}
