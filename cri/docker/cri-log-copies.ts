/**
 * The CRI log copies of one Docker runtime, one per container (cri-log-file.ts): started when a
 * container with a CRI log path starts, resumed for the containers found after a restart, reopened
 * on ReopenContainerLog, drained before a container is reported exited, stopped on remove.
 */
import type { Logger } from 'pino';
import { CriLogCopy, exists, type LogSource } from './cri-log-file.js';

/**
 * How long a status waits for the last lines of an exited container to reach its file. Docker ends
 * the log stream a few ms after the exit when idle, but seconds later on a loaded node (the
 * conformance suite at --parallel 3 read empty logs and empty FallbackToLogsOnError messages
 * after a 2 s wait): only a container whose copy is still running waits, so the bound is generous.
 */
const DRAIN_MS = 15_000;

export class CriLogCopies {
  readonly #copies = new Map<string, CriLogCopy>();
  readonly #source: (containerId: string) => LogSource;
  readonly #log: Logger | undefined;

  constructor(source: (containerId: string) => LogSource, log?: Logger) {
    this.#source = source;
    this.#log = log;
  }

  /** Starts copying `id`'s log to `path` unless a copy of it runs already. */
  ensure(id: string, path: string): CriLogCopy {
    const running = this.#copies.get(id);
    if (running !== undefined) return running;
    const copy = new CriLogCopy(path, this.#source(id), this.#log?.child({ containerId: id.slice(0, 12) }));
    this.#copies.set(id, copy);
    void copy.done.then(() => { if (this.#copies.get(id) === copy) this.#copies.delete(id); });
    return copy;
  }

  /** After a restart: copies the rest of a running container's log, or of an exited one whose file is still there. */
  async resume(id: string, path: string, running: boolean): Promise<void> {
    if (this.#copies.has(id)) return;
    if (running || await exists(path)) this.ensure(id, path);
  }

  /** Reopens the file of a running copy; starts the copy when there is none (it opens the path). */
  async reopen(id: string, path: string): Promise<void> {
    const copy = this.#copies.get(id);
    if (copy !== undefined) await copy.reopen();
    else await this.ensure(id, path).opened;
  }

  /** Waits (bounded) until the copy of an exited container has written its last lines. */
  async drained(id: string): Promise<void> {
    const copy = this.#copies.get(id);
    if (copy === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([copy.done.then(() => true), new Promise<boolean>((r) => { timer = setTimeout(() => r(false), DRAIN_MS); })]);
    clearTimeout(timer);
    if (!drained) this.#log?.warn({ containerId: id.slice(0, 12), waitedMs: DRAIN_MS }, 'Reporting an exited container whose log copy has not ended');
  }

  async stop(id: string): Promise<void> {
    await this.#copies.get(id)?.stop();
  }
}
