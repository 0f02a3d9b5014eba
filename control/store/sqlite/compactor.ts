/**
 * Background compaction: every `intervalMs`, compact history up to (current revision - minRetained).
 * The store does the deleting (in small batches, yielding between them); this only decides when.
 */
import type { Logger } from 'pino';
import type { Revision } from '../types.js';

export const DEFAULT_COMPACT_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_COMPACT_MIN_RETAINED = 1000;

/** What the compactor needs from a store. */
export interface Compactable {
  currentRevision(): Promise<Revision>;
  compactRevision(): Promise<Revision>;
  compact(revision: Revision): Promise<void>;
}

export interface CompactorOptions {
  store: Compactable;
  /** Default 5 minutes. */
  intervalMs?: number;
  /** Revisions always kept behind the current one (default 1000). */
  minRetained?: number;
  log?: Logger;
}

export class Compactor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly minRetained: number;

  constructor(private readonly opts: CompactorOptions) {
    this.intervalMs = opts.intervalMs ?? DEFAULT_COMPACT_INTERVAL_MS;
    this.minRetained = opts.minRetained ?? DEFAULT_COMPACT_MIN_RETAINED;
  }

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => { void this.runOnce(); }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One compaction pass; never throws (failures are logged and retried next interval). */
  runOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async pass(): Promise<void> {
    const started = Date.now();
    try {
      const [current, compacted] = await Promise.all([this.opts.store.currentRevision(), this.opts.store.compactRevision()]);
      const target = current - this.minRetained;
      if (target <= compacted) return;
      await this.opts.store.compact(target);
      this.opts.log?.debug({ from: compacted, to: target, elapsedMs: Date.now() - started }, 'Compacted store');
    } catch (err) {
      this.opts.log?.warn({ err }, 'Failed to compact store');
    }
  }
}
