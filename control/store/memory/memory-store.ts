/**
 * MemoryStore: the in-memory Store for unit tests, and the fake for everything above storage.
 *
 * State is a map of live keys plus a log of every event since the compact revision; revisions start
 * at 1 and grow by one per write. Reads "as of" an older revision roll the current state back through
 * the log. `compact(rev)` drops history so tests can exercise 'Compacted'.
 */
import { StoreError } from '../types.js';
import type { KeyValue, ListOptions, ListResult, Revision, Store, WatchEvent } from '../types.js';
import { followFrom, WatchHub } from '../watch-hub.js';

export interface MemoryStoreOptions {
  /** Events a watcher may fall behind before it is cut off (default 100,000). */
  maxBufferedEvents?: number;
}

export class MemoryStore implements Store {
  readonly capabilities = { leaderElection: false };
  private readonly live = new Map<string, KeyValue>();
  /** events[i] has modRevision compacted + 1 + i. */
  private events: WatchEvent[] = [];
  private rev: Revision = 0;
  private compacted: Revision = 0;
  private closed = false;
  private readonly hub: WatchHub;

  constructor(opts: MemoryStoreOptions = {}) {
    this.hub = new WatchHub(opts.maxBufferedEvents);
  }

  async get(key: string, opts?: { revision?: Revision }): Promise<KeyValue | undefined> {
    this.checkOpen();
    const at = opts?.revision;
    if (at === undefined || at >= this.rev) return this.live.get(key);
    this.checkNotCompacted(at);
    let kv = this.live.get(key);
    for (let i = this.events.length - 1; i >= 0; i--) {
      const ev = this.events[i]!;
      if (ev.kv.modRevision <= at) break;
      if (ev.kv.key === key) kv = ev.prev;
    }
    return kv;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const at = opts.revision === undefined ? this.rev : Math.min(opts.revision, this.rev);
    this.checkNotCompacted(at);
    const state = new Map<string, KeyValue>();
    for (const [k, kv] of this.live) if (k.startsWith(prefix)) state.set(k, kv);
    for (let i = this.events.length - 1; i >= 0; i--) {
      const ev = this.events[i]!;
      if (ev.kv.modRevision <= at) break;
      if (!ev.kv.key.startsWith(prefix)) continue;
      if (ev.prev) state.set(ev.kv.key, ev.prev);
      else state.delete(ev.kv.key);
    }
    const after = opts.continueAfter;
    let keys = [...state.keys()];
    if (after !== undefined) keys = keys.filter((k) => k > after);
    keys.sort(compareKeys);
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : keys.length;
    const page = keys.slice(0, limit);
    const result: ListResult = { revision: at, items: page.map((k) => state.get(k)!) };
    if (keys.length > page.length && page.length > 0) result.continueAfter = page[page.length - 1];
    return result;
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.checkOpen();
    if (this.live.has(key)) throw new StoreError('KeyExists', `create ${key}: key exists`);
    const rev = this.rev + 1;
    const kv: KeyValue = { key, value: value.slice(), createRevision: rev, modRevision: rev };
    this.commit({ type: 'put', kv });
    return kv;
  }

  async update(key: string, value: Uint8Array, expect: Revision): Promise<KeyValue> {
    this.checkOpen();
    const prev = this.live.get(key);
    if (!prev) throw new StoreError('KeyNotFound', `update ${key}: key not found`);
    if (prev.modRevision !== expect) {
      throw new StoreError('RevisionConflict', `update ${key}: revision ${prev.modRevision} != expected ${expect}`, { current: prev });
    }
    const kv: KeyValue = { key, value: value.slice(), createRevision: prev.createRevision, modRevision: this.rev + 1 };
    this.commit({ type: 'put', kv, prev });
    return kv;
  }

  async delete(key: string, expect?: Revision): Promise<KeyValue> {
    this.checkOpen();
    const prev = this.live.get(key);
    if (!prev) throw new StoreError('KeyNotFound', `delete ${key}: key not found`);
    if (expect !== undefined && prev.modRevision !== expect) {
      throw new StoreError('RevisionConflict', `delete ${key}: revision ${prev.modRevision} != expected ${expect}`, { current: prev });
    }
    const kv: KeyValue = { key, value: prev.value, createRevision: prev.createRevision, modRevision: this.rev + 1 };
    this.commit({ type: 'delete', kv, prev });
    return kv;
  }

  watch(prefix: string, from: Revision, signal: AbortSignal): AsyncIterable<WatchEvent> {
    return followFrom({
      hub: this.hub,
      prefix,
      from,
      signal,
      headRevision: () => this.rev,
      readBacklog: (after, upTo, limit) => {
        this.checkNotCompacted(after);
        const out: WatchEvent[] = [];
        for (let r = after + 1; r <= upTo && out.length < limit; r++) {
          const ev = this.events[r - this.compacted - 1];
          if (ev && ev.kv.key.startsWith(prefix)) out.push(ev);
        }
        return out;
      },
    });
  }

  async currentRevision(): Promise<Revision> { return this.rev; }

  async compactRevision(): Promise<Revision> { return this.compacted; }

  /** Drops history at and below `revision` (clamped to the current revision); older reads become 'Compacted'. */
  async compact(revision: Revision): Promise<void> {
    const target = Math.min(revision, this.rev);
    if (target <= this.compacted) return;
    this.events = this.events.slice(target - this.compacted);
    this.compacted = target;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.hub.closeAll();
  }

  private commit(ev: WatchEvent): void {
    this.rev = ev.kv.modRevision;
    if (ev.type === 'delete') this.live.delete(ev.kv.key);
    else this.live.set(ev.kv.key, ev.kv);
    this.events.push(ev);
    this.hub.publish(ev);
  }

  private checkNotCompacted(rev: Revision): void {
    if (rev < this.compacted) {
      throw new StoreError('Compacted', `revision ${rev} has been compacted (compact revision ${this.compacted})`);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('Unavailable', 'memory store: closed');
  }
}

/** Byte order for ASCII keys, matching SQLite's BINARY collation and etcd. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
