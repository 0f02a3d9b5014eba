/** The etcd-shaped storage contract (kine's idea). Storage knows nothing about HTTP or Kubernetes objects. */

export type Revision = number; // SQLite rowid / etcd mod_revision (< 2^53)

export interface KeyValue { key: string; value: Uint8Array; createRevision: Revision; modRevision: Revision }

export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  | { type: 'delete'; kv: KeyValue; prev: KeyValue }; // kv.modRevision = deletion revision, kv.value = last value

export interface ListOptions { revision?: Revision; limit?: number; continueAfter?: string }
export interface ListResult { revision: Revision; items: KeyValue[]; continueAfter?: string }

export interface Store {
  readonly capabilities: { leaderElection: boolean };
  /** A miss is not an error: resolves undefined. */
  get(key: string, opts?: { revision?: Revision }): Promise<KeyValue | undefined>;
  /** Keys starting with prefix, sorted by key, as of `revision` (default: now). */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** StoreError 'KeyExists' when the key is live. */
  create(key: string, value: Uint8Array): Promise<KeyValue>;
  /** StoreError 'RevisionConflict' (err.current set) when modRevision != expect; 'KeyNotFound'. */
  update(key: string, value: Uint8Array, expect: Revision): Promise<KeyValue>;
  /** Returns the deleted kv with modRevision = deletion revision. 'KeyNotFound' | 'RevisionConflict'. */
  delete(key: string, expect?: Revision): Promise<KeyValue>;
  /** Every event with modRevision > from, in order, exactly once. Subscribes before catching up. 'Compacted' when from < compacted revision. */
  watch(prefix: string, from: Revision, signal: AbortSignal): AsyncIterable<WatchEvent>;
  currentRevision(): Promise<Revision>;
  /** Oldest revision still answerable by watch/list (events after it are kept). */
  compactRevision(): Promise<Revision>;
  close(): Promise<void>;
}

export type StoreErrorCode = 'KeyExists' | 'KeyNotFound' | 'RevisionConflict' | 'Compacted' | 'Unavailable';

export class StoreError extends Error {
  readonly current?: KeyValue;
  constructor(readonly code: StoreErrorCode, message: string, opts?: ErrorOptions & { current?: KeyValue }) {
    super(message, opts);
    this.name = 'StoreError';
    this.current = opts?.current;
  }
}

export const isStoreError = (e: unknown, code?: StoreErrorCode): e is StoreError =>
  e instanceof StoreError && (code === undefined || e.code === code);
