/**
 * Termination messages (kubelet's kuberuntime getTerminationMessage): every container with a
 * terminationMessagePath gets a fresh empty file of its own under the pod directory, writable by
 * any user (the container may run as anyone), bind-mounted at that path. Once the container has
 * exited, the status message is the runtime's message joined by ": " to what the file holds (its
 * last 4096 bytes); with policy FallbackToLogsOnError, a failed container that left the file empty
 * (or missing) reports the tail of its log instead (80 lines, 2048 bytes).
 */
import { chmod, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus, RuntimeService } from '../cri/types.js';
import { podDir } from './volume-paths.js';

export const MAX_MESSAGE_BYTES = 4096;
export const FALLBACK_LOG_LINES = 80;
export const FALLBACK_LOG_BYTES = 2048;

/** PURE: the host file of one container instance's termination message. */
export function terminationMessageFile(dataDir: string, podUid: string, container: string, attempt: number): string {
  return join(podDir(dataDir, podUid), 'containers', container, String(attempt));
}

/** A fresh empty file, mode 0666 whatever the umask (upstream chmods it so). */
export async function createTerminationMessageFile(path: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o750 });
  await writeFile(path, '', { mode: 0o666 });
  await chmod(path, 0o666);
}

/** The last `max` bytes of a file; undefined when it does not exist. */
async function tail(path: string, max: number): Promise<Buffer | undefined> {
  let fh;
  try { fh = await open(path, 'r'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, max);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    return buf;
  } finally {
    await fh.close();
  }
}

/** Reads the messages of exited containers; an exited container's message never changes, so it is kept by id. */
export class TerminationMessages {
  /** Pod uid → container id → message. */
  private readonly known = new Map<string, Map<string, string>>();

  constructor(private readonly runtime: RuntimeService, private readonly dataDir: string) {}

  /** The message to report for an exited instance of `spec` (the runtime's own message included). */
  async message(pod: Pod, spec: Container, c: ContainerStatus): Promise<string> {
    const uid = pod.metadata?.uid ?? '';
    const cached = this.known.get(uid)?.get(c.id);
    if (cached !== undefined) return cached;
    let own = '';
    let fromLogs = spec.terminationMessagePolicy === 'FallbackToLogsOnError' && c.exitCode !== 0;
    if (spec.terminationMessagePath) {
      const path = terminationMessageFile(this.dataDir, uid, spec.name, c.metadata.attempt);
      try {
        const data = await tail(path, MAX_MESSAGE_BYTES);
        own = data?.toString('utf8') ?? '';
        fromLogs &&= own === '';
      } catch (err) {
        own = `Error on reading termination log ${path}: ${err instanceof Error ? err.message : String(err)}`;
        fromLogs = false;
      }
    }
    if (fromLogs) own = await this.logTail(c.id);
    const msg = own === '' ? c.message : c.message ? `${c.message}: ${own}` : own;
    this.known.set(uid, (this.known.get(uid) ?? new Map<string, string>()).set(c.id, msg));
    return msg;
  }

  /** Container id → message, for every exited container of the pod. */
  async ofExited(pod: Pod, containers: readonly ContainerStatus[]): Promise<Map<string, string>> {
    const specs = new Map([...pod.spec?.initContainers ?? [], ...pod.spec?.containers ?? []].map((c) => [c.name, c]));
    const out = new Map<string, string>();
    for (const c of containers) {
      const spec = specs.get(c.metadata.name);
      if (spec && c.state === 'CONTAINER_EXITED') out.set(c.id, await this.message(pod, spec, c));
    }
    return out;
  }

  /** Forget the kept messages of a pod that is gone. */
  forgetPod(uid: string): void { this.known.delete(uid); }

  private async logTail(id: string): Promise<string> {
    const ac = new AbortController();
    const lines: Buffer[] = [];
    try {
      for await (const l of this.runtime.containerLogs(id, { follow: false, tailLines: FALLBACK_LOG_LINES }, ac.signal)) lines.push(l.line);
    } catch (err) {
      return `Error on reading termination message from logs: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      ac.abort();
    }
    // the records come without their newlines: joined by one, none after the last (`echo -n` stays as it was)
    const all = Buffer.concat(lines.flatMap((l, i) => i === 0 ? [l] : [Buffer.from('\n'), l]));
    return all.subarray(Math.max(0, all.length - FALLBACK_LOG_BYTES)).toString('utf8');
  }
}
