/**
 * Store.watch on etcd: one gRPC watch stream per call, started at `from` with prev_kv.
 *
 * The contract wants every event with modRevision > from and 'Compacted' when from < the compact
 * revision. etcd cancels a watch whose start revision is below its compact revision, so the stream
 * starts AT `from` (not from + 1) and drops events at or below the last revision yielded: etcd then
 * fails exactly when the contract says, and the one extra revision it sends is skipped. A broken
 * stream is re-created from the last revision yielded (etcd watches are resumable by revision), so
 * nothing is missed or repeated; after `retryForMs` without a working stream it fails 'Unavailable'.
 */
import type { IWatchResponse, WatchClient } from 'etcd3';
import { StoreError } from '../types.js';
import type { Revision, WatchEvent } from '../types.js';
import { KeySpace, toRevision, toWatchEvent } from './codec.js';
import { translateEtcdError } from './errors.js';

export interface EtcdWatchOptions {
  client: WatchClient;
  keys: KeySpace;
  prefix: string;
  from: Revision;
  /** The caller's signal and the store's (closing the store ends every watch). */
  signal: AbortSignal;
  /** Told the compact revision when etcd cancels the watch for compaction. */
  onCompacted?(revision: Revision): void;
  /** How long to keep re-creating a broken stream before failing (default 30 s). */
  retryForMs?: number;
  /** Events buffered before the watcher is cut off as too slow (default 100,000). */
  maxBuffered?: number;
}

type Item = { kind: 'response'; res: IWatchResponse } | { kind: 'broken'; err: unknown };

/** Every event under `prefix` with modRevision > from, in order, exactly once; ends when the signal aborts. */
export async function* watchEtcd(opts: EtcdWatchOptions): AsyncGenerator<WatchEvent, void, undefined> {
  const { signal, keys } = opts;
  const retryForMs = opts.retryForMs ?? 30_000;
  const maxBuffered = opts.maxBuffered ?? 100_000;
  const what = `watch ${opts.prefix}`;
  let last = opts.from;
  let brokenSince: number | undefined;
  let backoffMs = 50;
  while (!signal.aborted) {
    const queue: Item[] = [];
    let buffered = 0;
    let wake: (() => void) | undefined;
    const push = (item: Item): void => {
      queue.push(item);
      const w = wake;
      wake = undefined;
      w?.();
    };
    const onAbort = (): void => push({ kind: 'broken', err: undefined });
    signal.addEventListener('abort', onAbort, { once: true });
    let stream: Awaited<ReturnType<WatchClient['watch']>> | undefined;
    try {
      try {
        stream = await opts.client.watch();
        stream
          .on('data', (res) => {
            buffered += res.events.length;
            push({ kind: 'response', res });
          })
          .on('error', (err) => push({ kind: 'broken', err }))
          .on('end', () => push({ kind: 'broken', err: new Error('watch stream ended') }));
        const range = keys.range(opts.prefix);
        stream.write({ create_request: { ...range, start_revision: Math.max(last, 1), prev_kv: true } });
      } catch (err) {
        push({ kind: 'broken', err });
      }
      for (;;) {
        if (signal.aborted) return;
        const item = queue.shift();
        if (!item) {
          await new Promise<void>((resolve) => { wake = resolve; });
          continue;
        }
        if (item.kind === 'broken') {
          if (signal.aborted) return;
          brokenSince ??= Date.now();
          if (Date.now() - brokenSince >= retryForMs) throw translateEtcdError(item.err, what);
          break; // re-create the stream from `last`
        }
        const res = item.res;
        buffered -= res.events.length;
        if (res.compact_revision !== undefined && toRevision(res.compact_revision) > 0) {
          const compacted = toRevision(res.compact_revision);
          opts.onCompacted?.(compacted);
          throw new StoreError('Compacted', `${what}: revision ${last} has been compacted (compact revision ${compacted})`);
        }
        if (res.canceled) throw new StoreError('Unavailable', `${what}: canceled by etcd: ${res.cancel_reason || 'no reason given'}`);
        if (res.created) {
          brokenSince = undefined;
          backoffMs = 50;
        }
        if (buffered > maxBuffered) throw new StoreError('Unavailable', `${what}: watcher fell ${maxBuffered} events behind`);
        for (const ev of res.events) {
          if (signal.aborted) return;
          const out = toWatchEvent(ev, keys);
          if (out.kv.modRevision <= last) continue;
          last = out.kv.modRevision;
          yield out;
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      stream?.cancel();
    }
    await sleep(backoffMs, signal);
    backoffMs = Math.min(backoffMs * 2, 2000);
  }
}

/** Resolves after ms, or at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
