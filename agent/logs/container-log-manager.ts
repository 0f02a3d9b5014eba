/**
 * The kubelet's container log manager: every monitor interval, each running container whose CRI
 * log file has reached maxSize is rotated (rotation-plan.ts): excess and leftover rotated files
 * removed, older ones gzipped (compress-log.ts), the live file renamed to `<log>.<stamp>` and the
 * runtime asked to reopen the path (ReopenContainerLog). If the reopen fails the file is renamed
 * back, to be tried next round; a live file that is missing is reopened first. One container's
 * failure never stops the others. Only paths under the node's log root are touched, never
 * through a symlink.
 */
import { lstat, readdir, rename, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../control/util/clock.js';
import type { RuntimeExtrasService, RuntimeService } from '../../cri/types.js';
import { compressLog } from './compress-log.js';
import { planRotation, rotatedName } from './rotation-plan.js';

/** The kubelet's containerLogMaxSize (10Mi) and containerLogMaxFiles (5). */
export interface LogRotatePolicy { maxSizeBytes: number; maxFiles: number }
export const DEFAULT_LOG_ROTATE_POLICY: LogRotatePolicy = { maxSizeBytes: 10 * 1024 * 1024, maxFiles: 5 };
/** The kubelet's containerLogMonitorInterval. */
export const DEFAULT_LOG_MONITOR_INTERVAL_MS = 10_000;

export interface ContainerLogManagerOptions {
  runtime: Pick<RuntimeService, 'listContainers' | 'containerStatus'> & Pick<RuntimeExtrasService, 'reopenContainerLog'>;
  /** Every log path must lie below this directory (<data-dir>/logs). */
  logRoot: string;
  policy?: LogRotatePolicy;
  monitorIntervalMs?: number;
  clock: Clock;
  log: Logger;
}

export class ContainerLogManager {
  readonly #o: ContainerLogManagerOptions;
  readonly #policy: LogRotatePolicy;

  constructor(o: ContainerLogManagerOptions) {
    this.#o = o;
    this.#policy = o.policy ?? DEFAULT_LOG_ROTATE_POLICY;
  }

  /** Rotates every monitor interval until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.rotateLogs().catch((err: unknown) => this.#o.log.warn({ err }, 'Failed to rotate container logs'));
      await sleep(this.#o.monitorIntervalMs ?? DEFAULT_LOG_MONITOR_INTERVAL_MS, undefined, { signal }).catch(() => undefined);
    }
  }

  /** One round over the running containers. Throws only when the runtime cannot list them. */
  async rotateLogs(): Promise<void> {
    const containers = await this.#o.runtime.listContainers({ state: 'CONTAINER_RUNNING' });
    for (const c of containers) {
      const log = this.#o.log.child({ containerId: c.id.slice(0, 12) });
      try {
        await this.#rotateIfNeeded(c.id);
      } catch (err) {
        log.warn({ err }, 'Failed to rotate container log');
      }
    }
  }

  /** Removes a container's log file and its rotated files (the container is being removed). */
  async clean(containerId: string): Promise<void> {
    const path = this.#ownPath((await this.#o.runtime.containerStatus(containerId)).logPath);
    if (path === undefined) return;
    for (const f of [path, ...await this.#siblings(path)]) await unlink(f).catch(() => undefined); // gone already: fine
  }

  async #rotateIfNeeded(id: string): Promise<void> {
    const path = this.#ownPath((await this.#o.runtime.containerStatus(id)).logPath);
    if (path === undefined) return;
    let st = await lstat(path).catch(() => undefined);
    if (st === undefined) {
      // lost after a reopen that failed: the runtime recreates it
      await this.#o.runtime.reopenContainerLog(id);
      st = await lstat(path);
    }
    if (!st.isFile() || st.size < this.#policy.maxSizeBytes) return;
    const plan = planRotation(path, await this.#siblings(path), this.#policy.maxFiles);
    for (const f of plan.remove) await unlink(f);
    for (const f of plan.compress) await compressLog(f);
    await this.#rotateLatest(id, path);
  }

  async #rotateLatest(id: string, path: string): Promise<void> {
    const rotated = rotatedName(path, this.#o.clock.now());
    // one rotation per second at most: a second one would overwrite the first
    if (await lstat(rotated).then(() => true, () => false)) return;
    await rename(path, rotated);
    try {
      await this.#o.runtime.reopenContainerLog(id);
    } catch (err) {
      await rename(rotated, path).catch((renameErr: unknown) => this.#o.log.error({ err: renameErr, rotated, path }, 'Failed to rename rotated log back'));
      throw err;
    }
    this.#o.log.debug({ path, rotated }, 'Rotated container log');
  }

  /** The rotated files of `path`: its directory's entries named `<basename>.…`. */
  async #siblings(path: string): Promise<string[]> {
    const dir = dirname(path);
    const prefix = `${path.slice(dir.length + 1)}.`;
    return (await readdir(dir)).filter((n) => n.startsWith(prefix)).map((n) => join(dir, n));
  }

  /** The log path when it is absolute, normal and below the log root; undefined (skipped) otherwise. */
  #ownPath(logPath: string): string | undefined {
    if (logPath === '' || !isAbsolute(logPath) || normalize(logPath) !== logPath) return undefined;
    const rel = relative(this.#o.logRoot, logPath);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      this.#o.log.debug({ logPath }, 'Skipped a container log outside the log root');
      return undefined;
    }
    return logPath;
  }
}
