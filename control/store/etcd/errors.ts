/**
 * The one place etcd client errors become StoreErrors (kine's translateErr). etcd reports compaction
 * and future revisions only as OUT_OF_RANGE with a fixed description (etcd's rpctypes), so those two
 * are recognised by that description, here and nowhere else.
 */
import { StoreError } from '../types.js';

/** rpctypes.ErrGRPCCompacted's description. */
const COMPACTED = 'mvcc: required revision has been compacted';
/** rpctypes.ErrGRPCFutureRev's description. */
const FUTURE_REVISION = 'mvcc: required revision is a future revision';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A read or compaction at a revision older than etcd's compact revision. */
export const isCompactedError = (err: unknown): boolean => messageOf(err).includes(COMPACTED);

/** A read at a revision newer than etcd's current revision. */
export const isFutureRevisionError = (err: unknown): boolean => messageOf(err).includes(FUTURE_REVISION);

/**
 * Translates an error from the etcd client: compaction -> 'Compacted', everything else (connection
 * refused, deadline, no leader, closed client) -> 'Unavailable'. StoreErrors pass through unchanged.
 */
export function translateEtcdError(err: unknown, what: string): StoreError {
  if (err instanceof StoreError) return err;
  if (isCompactedError(err)) return new StoreError('Compacted', `${what}: required revision has been compacted`, { cause: err });
  return new StoreError('Unavailable', `${what}: ${messageOf(err)}`, { cause: err });
}
