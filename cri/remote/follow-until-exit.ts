/**
 * Logs of a remote runtime's container, as kubelet reads them: the CRI log file at the
 * container's logPath; following ends when the container is not running (at once for an exited
 * one; for a running one, once a status poll sees it exit and the reader had time to reach the end).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { readCriLog } from '../logs/cri-log-file.js';
import type { ContainerStatus, LogLine } from '../types.js';

export interface FollowOptions {
  status(): Promise<ContainerStatus>;
  /** How often a followed container's state is looked at (default 1000 ms). */
  pollMs?: number;
  /** After the exit is seen, how long the reader gets to reach the end of the file (default 600 ms). */
  drainMs?: number;
}

export async function* readContainerLog(first: ContainerStatus, opts: { follow: boolean; tailLines?: number; sinceTime?: Date },
  o: FollowOptions, signal: AbortSignal): AsyncGenerator<LogLine> {
  const follow = opts.follow && first.state === 'CONTAINER_RUNNING';
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const watcher = follow ? watchExit(o, stop.signal, () => stop.abort()) : undefined;
  try {
    yield* readCriLog(first.logPath, { ...opts, follow, signal: stop.signal });
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop.abort();
    await watcher;
  }
}

async function watchExit(o: FollowOptions, signal: AbortSignal, done: () => void): Promise<void> {
  try {
    for (;;) {
      await sleep(o.pollMs ?? 1000, undefined, { signal });
      const st = await o.status().catch(() => undefined);
      if (st === undefined || st.state !== 'CONTAINER_RUNNING') {
        await sleep(o.drainMs ?? 600, undefined, { signal });
        done();
        return;
      }
    }
  } catch {
    // aborted: the reader ended first
  }
}
