/**
 * Pins a sandbox's network namespace to a file with a bind mount, so CNI DEL (and portForward
 * into a pod) keep working after the pause process is gone. Unpin is idempotent.
 */
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isExecError } from '../../lib/exec/exec-error.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { CriError } from '../errors.js';

const runner = new ProcessRunner();

/** Bind-mounts /proc/<pid>/ns/net onto `path` (created empty first). */
export async function pinNetns(pid: number, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, '', { flag: 'a' });
  try {
    await runner.run('mount', ['--bind', `/proc/${pid}/ns/net`, path]);
  } catch (e) {
    await unlink(path).catch(() => undefined); // best effort: the mount failure below is what the caller needs
    throw new CriError('Unknown', `pin netns of pid ${pid} at ${path}: ${stderrOf(e)}`, { cause: e });
  }
}

/**
 * True when `path` is still a mount (a live pin). A pin made inside a private mount namespace
 * (an agent under `ip netns exec`) is gone after that process exits, leaving a plain empty file.
 */
export async function isPinned(path: string): Promise<boolean> {
  try {
    const [file, dir] = await Promise.all([stat(path), stat(dirname(path))]);
    return file.dev !== dir.dev;
  } catch {
    return false; // no pin file (or no directory): nothing is pinned
  }
}

/** Unmounts and deletes the pin file; succeeds when it is already gone. */
export async function unpinNetns(path: string): Promise<void> {
  await runner.run('umount', [path]).catch(() => undefined); // not mounted (any more): unlinking is all that is left
  try {
    await unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CriError('Unknown', `remove netns pin ${path}: ${(e as Error).message}`, { cause: e });
  }
}

function stderrOf(e: unknown): string {
  return isExecError(e) && e.stderr.trim() !== '' ? e.stderr.trim() : e instanceof Error ? e.message : String(e);
}
