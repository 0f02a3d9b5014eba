/**
 * The SQLite schema (kine's design): ONE append-only log table whose AUTOINCREMENT row id is the
 * revision. A key's current state is its row with the highest id; a delete appends a tombstone row
 * (deleted = 1) that carries the last value. `create_revision` is 0 on rows that created their key
 * (the row's own id is the create revision); `prev_revision` is the id of the key's previous row (0 if
 * none), so a (name, prev_revision) pair is unique: two writers racing on the same predecessor cannot
 * both succeed.
 *
 * Durability: WAL with synchronous=NORMAL. A commit is appended to the WAL with write(2) before it
 * returns, so the data is in the OS page cache and survives the process being killed (kill -9);
 * only an OS crash or power loss can lose the last transactions (WAL is synced at checkpoints).
 * That is the guarantee the design asks for, at a fraction of the cost of an fsync per write.
 * Pass synchronous: 'FULL' to also survive power loss.
 */
import { chmodSync, closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';

export const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS kv_log (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  name            TEXT    NOT NULL,
  created         INTEGER NOT NULL,
  deleted         INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision   INTEGER NOT NULL,
  value           BLOB    NOT NULL
);
CREATE INDEX IF NOT EXISTS kv_log_name_id ON kv_log (name, id);
CREATE UNIQUE INDEX IF NOT EXISTS kv_log_name_prev ON kv_log (name, prev_revision);
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Meta keys. */
export const META_SCHEMA_VERSION = 'schema_version';
export const META_COMPACT_REVISION = 'compact_revision';

export type Synchronous = 'NORMAL' | 'FULL';

export interface OpenOptions {
  /** Default 'NORMAL' (see the file comment). */
  synchronous?: Synchronous;
  /** How long a write waits for another connection's lock before failing (default 1000 ms). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/** Opens (creating if needed) a store database and brings its schema up to date. */
/**
 * The database holds every Secret: readable by its owner only. SQLite creates the -wal and -shm
 * files with the database file's mode, so the file is made 0600 before SQLite opens it (and
 * files left readable by an older version are narrowed).
 */
function restrictToOwner(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try { chmodSync(f, 0o600); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; } // absent: SQLite makes it 0600
  }
}

export function openDatabase(path: string, opts: OpenOptions = {}): Database.Database {
  if (!opts.readonly && path !== ':memory:' && path !== '') restrictToOwner(path);
  const db = new Database(path, { readonly: opts.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 1000}`);
    if (opts.readonly) return db;
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
    db.pragma('temp_store = MEMORY');
    db.exec(DDL);
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(META_SCHEMA_VERSION) as { value: number } | undefined;
    if (row === undefined) {
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(META_SCHEMA_VERSION, SCHEMA_VERSION);
    } else if (row.value !== SCHEMA_VERSION) {
      throw new Error(`sqlite store ${path}: schema version ${row.value}, this build supports ${SCHEMA_VERSION}`);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
