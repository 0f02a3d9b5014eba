/**
 * Prepared statements over the kv_log table, row -> KeyValue/WatchEvent mapping, and the one place
 * better-sqlite3 errors become StoreErrors (kine's translateErr).
 */
import Database from 'better-sqlite3';
import { StoreError } from '../types.js';
import type { KeyValue, StoreErrorCode, WatchEvent } from '../types.js';
import { META_COMPACT_REVISION } from './schema.js';

export interface LogRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: Buffer;
}

/** A log row joined with its predecessor (p_* are null when there is none or it is not reported). */
export interface EventRow extends LogRow {
  p_id: number | null;
  p_created: number | null;
  p_create_revision: number | null;
  p_value: Buffer | null;
}

const COLS = 'id, name, created, deleted, create_revision, prev_revision, value';
const KCOLS = 'k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.value';

const LIST_WHERE = `k.name < @hi AND k.id <= @at AND k.deleted = 0
  AND k.id = (SELECT MAX(l.id) FROM kv_log AS l WHERE l.name = k.name AND l.id <= @at)
  ORDER BY k.name LIMIT @limit`;

export interface ListParams { lo: string; hi: string; at: number; limit: number }
export interface BacklogParams { after: number; upTo: number; lo: string; hi: string; limit: number }

export function prepareStatements(db: Database.Database) {
  return {
    latest: db.prepare<[string], LogRow>(`SELECT ${COLS} FROM kv_log WHERE name = ? ORDER BY id DESC LIMIT 1`),
    latestAt: db.prepare<[string, number], LogRow>(
      `SELECT ${COLS} FROM kv_log WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`),
    insert: db.prepare<[string, number, number, number, number, Buffer], void>(
      'INSERT INTO kv_log (name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?)'),
    /** Live keys in [lo, hi) as of revision `at`, by key. */
    listFrom: db.prepare<[ListParams], LogRow>(`SELECT ${KCOLS} FROM kv_log AS k WHERE k.name >= @lo AND ${LIST_WHERE}`),
    /** Live keys in (lo, hi) as of revision `at`, by key (continuation pages). */
    listAfter: db.prepare<[ListParams], LogRow>(`SELECT ${KCOLS} FROM kv_log AS k WHERE k.name > @lo AND ${LIST_WHERE}`),
    /** Log rows in (after, upTo] with keys in [lo, hi), by revision, with the predecessor of updates and deletes. */
    backlog: db.prepare<[BacklogParams], EventRow>(`SELECT ${KCOLS},
        p.id AS p_id, p.created AS p_created, p.create_revision AS p_create_revision, p.value AS p_value
      FROM kv_log AS k LEFT JOIN kv_log AS p ON p.id = k.prev_revision AND k.created = 0
      WHERE k.id > @after AND k.id <= @upTo AND k.name >= @lo AND k.name < @hi
      ORDER BY k.id LIMIT @limit`),
    sequence: db.prepare<[], { seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'kv_log'`),
    getCompactRevision: db.prepare<[], { value: number }>(`SELECT value FROM meta WHERE key = '${META_COMPACT_REVISION}'`),
    setCompactRevision: db.prepare<[number], void>(`INSERT INTO meta (key, value) VALUES ('${META_COMPACT_REVISION}', ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
    /** Compaction: rows superseded by a row in (lo, hi]. */
    deleteSuperseded: db.prepare<[number, number], void>(`DELETE FROM kv_log WHERE id IN
      (SELECT prev_revision FROM kv_log WHERE id > ? AND id <= ? AND prev_revision > 0)`),
    /** Compaction: tombstones in (lo, hi]. */
    deleteTombstones: db.prepare<[number, number], void>('DELETE FROM kv_log WHERE id > ? AND id <= ? AND deleted = 1'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

/** Smallest string greater than every string starting with prefix ('' has none: use the top code point). */
export function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

export function rowToKv(r: LogRow): KeyValue {
  return { key: r.name, value: r.value, createRevision: r.created ? r.id : r.create_revision, modRevision: r.id };
}

export function rowToEvent(r: EventRow): WatchEvent {
  const kv = rowToKv(r);
  const prev: KeyValue | undefined = r.p_id === null ? undefined : {
    key: r.name,
    value: r.p_value ?? Buffer.alloc(0),
    createRevision: r.p_created ? r.p_id : r.p_create_revision ?? 0,
    modRevision: r.p_id,
  };
  if (r.deleted) {
    // Compaction never removes the predecessor of a retained row; the fallback is only defensive.
    return { type: 'delete', kv, prev: prev ?? { ...kv, modRevision: r.prev_revision } };
  }
  return prev ? { type: 'put', kv, prev } : { type: 'put', kv };
}

/**
 * Translates a better-sqlite3 error: lock contention and I/O failures become 'Unavailable'; a unique
 * violation means another writer won the race, reported as `onUnique`. StoreErrors and bugs pass through.
 */
export function translateError(err: unknown, what: string, onUnique: StoreErrorCode = 'Unavailable'): unknown {
  if (!(err instanceof Database.SqliteError)) return err;
  if (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new StoreError(onUnique, `${what}: concurrent write`, { cause: err });
  }
  const reason = err.code.startsWith('SQLITE_BUSY') || err.code.startsWith('SQLITE_LOCKED') ? 'database is locked' : err.code;
  return new StoreError('Unavailable', `${what}: ${reason}`, { cause: err });
}
