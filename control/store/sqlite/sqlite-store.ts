/**
 * SqliteStore: the Store on one better-sqlite3 connection (see schema.ts for the log table).
 *
 * Every call runs synchronously on the one connection and returns a settled promise, so a
 * check-then-insert inside an IMMEDIATE transaction is an atomic compare-and-swap. The store is
 * single-process: after each commit the event is fanned out in-process to watchers, and a watch
 * catches up from the log table after subscribing (watch-hub.ts).
 */
import type { Logger } from 'pino';
import type Database from 'better-sqlite3';
import { StoreError } from '../types.js';
import type { KeyValue, ListOptions, ListResult, Revision, Store, WatchEvent } from '../types.js';
import { followFrom, WatchHub } from '../watch-hub.js';
import { Compactor } from './compactor.js';
import { openDatabase } from './schema.js';
import type { Synchronous } from './schema.js';
import { prefixEnd, prepareStatements, rowToEvent, rowToKv, translateError } from './statements.js';
import type { LogRow, Statements } from './statements.js';

export interface SqliteStoreOptions {
  /** Database file (created if missing), or ':memory:'. */
  path: string;
  log?: Logger;
  /** Default 'NORMAL': acknowledged writes survive kill -9 but not power loss (schema.ts). */
  synchronous?: Synchronous;
  /** How long a write waits for another connection's lock before 'Unavailable' (default 1000 ms). */
  busyTimeoutMs?: number;
  /** Background compaction period; 0 disables it (default 5 minutes). */
  compactIntervalMs?: number;
  /** Revisions the background compactor always keeps (default 1000). */
  compactMinRetained?: number;
  /** Revisions deleted per compaction transaction (default 1000). */
  compactBatch?: number;
  /** Events a watcher may fall behind before it is cut off (default 100,000). */
  maxBufferedEvents?: number;
}

export class SqliteStore implements Store {
  readonly capabilities = { leaderElection: false };
  private readonly db: Database.Database;
  private readonly s: Statements;
  private readonly hub: WatchHub;
  private readonly compactor: Compactor;
  private readonly log: Logger | undefined;
  private readonly batch: number;
  private rev: Revision;
  private compacted: Revision;
  private closed = false;

  private readonly txCreate: Database.Transaction<(key: string, value: Buffer) => WatchEvent>;
  private readonly txUpdate: Database.Transaction<(key: string, value: Buffer, expect: Revision) => WatchEvent>;
  private readonly txDelete: Database.Transaction<(key: string, expect: Revision | undefined) => WatchEvent>;
  private readonly txCompact: Database.Transaction<(lo: Revision, hi: Revision) => void>;

  constructor(opts: SqliteStoreOptions) {
    this.log = opts.log;
    this.batch = opts.compactBatch ?? 1000;
    this.hub = new WatchHub(opts.maxBufferedEvents);
    try {
      this.db = openDatabase(opts.path, { synchronous: opts.synchronous, busyTimeoutMs: opts.busyTimeoutMs });
      this.s = prepareStatements(this.db);
      this.rev = this.s.sequence.get()?.seq ?? 0;
      this.compacted = this.s.getCompactRevision.get()?.value ?? 0;
    } catch (err) {
      throw translateError(err, `open sqlite store ${opts.path}`);
    }
    const s = this.s;
    this.txCreate = this.db.transaction((key: string, value: Buffer): WatchEvent => {
      const latest = s.latest.get(key);
      if (latest && !latest.deleted) throw new StoreError('KeyExists', `create ${key}: key exists`);
      const id = Number(s.insert.run(key, 1, 0, 0, latest?.id ?? 0, value).lastInsertRowid);
      return { type: 'put', kv: { key, value, createRevision: id, modRevision: id } };
    });
    this.txUpdate = this.db.transaction((key: string, value: Buffer, expect: Revision): WatchEvent => {
      const prev = this.liveRow(key, expect, 'update');
      const createRevision = prev.created ? prev.id : prev.create_revision;
      const id = Number(s.insert.run(key, 0, 0, createRevision, prev.id, value).lastInsertRowid);
      return { type: 'put', kv: { key, value, createRevision, modRevision: id }, prev: rowToKv(prev) };
    });
    this.txDelete = this.db.transaction((key: string, expect: Revision | undefined): WatchEvent => {
      const prev = this.liveRow(key, expect, 'delete');
      const createRevision = prev.created ? prev.id : prev.create_revision;
      const id = Number(s.insert.run(key, 0, 1, createRevision, prev.id, prev.value).lastInsertRowid);
      return { type: 'delete', kv: { key, value: prev.value, createRevision, modRevision: id }, prev: rowToKv(prev) };
    });
    this.txCompact = this.db.transaction((lo: Revision, hi: Revision): void => {
      s.deleteSuperseded.run(lo, hi);
      s.deleteTombstones.run(lo, hi);
      s.setCompactRevision.run(hi);
    });
    this.compactor = new Compactor({
      store: this,
      intervalMs: opts.compactIntervalMs,
      minRetained: opts.compactMinRetained,
      log: opts.log,
    });
    this.compactor.start();
  }

  async get(key: string, opts?: { revision?: Revision }): Promise<KeyValue | undefined> {
    this.checkOpen();
    const at = opts?.revision;
    let row: LogRow | undefined;
    try {
      if (at === undefined || at >= this.rev) {
        row = this.s.latest.get(key);
      } else {
        this.checkNotCompacted(at);
        row = this.s.latestAt.get(key, at);
      }
    } catch (err) {
      throw translateError(err, `get ${key}`);
    }
    return row && !row.deleted ? rowToKv(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const at = opts.revision === undefined ? this.rev : Math.min(opts.revision, this.rev);
    this.checkNotCompacted(at);
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : undefined;
    const after = opts.continueAfter;
    const paged = after !== undefined && after >= prefix;
    let rows: LogRow[];
    try {
      const params = { lo: paged ? after : prefix, hi: prefixEnd(prefix), at, limit: limit === undefined ? -1 : limit + 1 };
      rows = (paged ? this.s.listAfter : this.s.listFrom).all(params);
    } catch (err) {
      throw translateError(err, `list ${prefix}`);
    }
    const result: ListResult = { revision: at, items: [] };
    if (limit !== undefined && rows.length > limit) {
      rows.length = limit;
      result.continueAfter = rows[limit - 1]!.name;
    }
    result.items = rows.map(rowToKv);
    return result;
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.checkOpen();
    return this.write(() => this.txCreate.immediate(key, Buffer.from(value)), `create ${key}`, 'KeyExists');
  }

  async update(key: string, value: Uint8Array, expect: Revision): Promise<KeyValue> {
    this.checkOpen();
    return this.write(() => this.txUpdate.immediate(key, Buffer.from(value), expect), `update ${key}`, 'RevisionConflict');
  }

  async delete(key: string, expect?: Revision): Promise<KeyValue> {
    this.checkOpen();
    return this.write(() => this.txDelete.immediate(key, expect), `delete ${key}`, 'RevisionConflict');
  }

  watch(prefix: string, from: Revision, signal: AbortSignal): AsyncIterable<WatchEvent> {
    this.checkOpen();
    const hi = prefixEnd(prefix);
    return followFrom({
      hub: this.hub,
      prefix,
      from,
      signal,
      headRevision: () => this.rev,
      readBacklog: (after, upTo, limit) => {
        this.checkOpen();
        this.checkNotCompacted(after);
        try {
          return this.s.backlog.all({ after, upTo, lo: prefix, hi, limit }).map(rowToEvent);
        } catch (err) {
          throw translateError(err, `watch ${prefix}`);
        }
      },
    });
  }

  async currentRevision(): Promise<Revision> { return this.rev; }

  async compactRevision(): Promise<Revision> { return this.compacted; }

  /**
   * Deletes history at and below `revision` (clamped to the current revision): rows superseded by a
   * later row at or below it, and tombstones at or below it. Runs in batches, yielding in between.
   */
  async compact(revision: Revision): Promise<void> {
    this.checkOpen();
    const target = Math.min(revision, this.rev);
    while (!this.closed && this.compacted < target) {
      const hi = Math.min(target, this.compacted + this.batch);
      try {
        this.txCompact.immediate(this.compacted, hi);
      } catch (err) {
        throw translateError(err, `compact to ${hi}`);
      }
      this.compacted = hi;
      if (hi < target) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Runs one background compaction pass now (tests). */
  runCompactor(): Promise<void> { return this.compactor.runOnce(); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll();
    await this.compactor.stop();
    this.db.close();
  }

  private write(tx: () => WatchEvent, what: string, onUnique: 'KeyExists' | 'RevisionConflict'): KeyValue {
    let ev: WatchEvent;
    try {
      ev = tx();
    } catch (err) {
      throw translateError(err, what, onUnique);
    }
    this.rev = ev.kv.modRevision;
    this.log?.trace({ key: ev.kv.key, rev: this.rev, type: ev.type }, 'Wrote key');
    this.hub.publish(ev);
    return ev.kv;
  }

  /** The key's live row, checked against `expect`; throws KeyNotFound / RevisionConflict. */
  private liveRow(key: string, expect: Revision | undefined, op: string): LogRow {
    const row = this.s.latest.get(key);
    if (!row || row.deleted) throw new StoreError('KeyNotFound', `${op} ${key}: key not found`);
    if (expect !== undefined && row.id !== expect) {
      throw new StoreError('RevisionConflict', `${op} ${key}: revision ${row.id} != expected ${expect}`, { current: rowToKv(row) });
    }
    return row;
  }

  private checkNotCompacted(rev: Revision): void {
    if (rev < this.compacted) {
      throw new StoreError('Compacted', `revision ${rev} has been compacted (compact revision ${this.compacted})`);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('Unavailable', 'sqlite store: closed');
  }
}
