/**
 * What `down --purge` unmounts before it deletes a data dir: every mount strictly inside it (the
 * Docker pods' network-namespace pins under runtime/netns, memory emptyDirs), in this process's
 * mount namespace and in the container runtime's when that is another, deepest first. A pin left
 * by pods the runtime no longer lists (a runtime restarted, a sandbox removed behind the agent's
 * back) would otherwise make the delete fail with EBUSY, and a directory mount would be deleted
 * through. Nothing is followed: each mount point is reached only when no component of its path
 * below the data dir is a symlink, and umount gets the path as it is (--no-canonicalize). A mount
 * that stays is an error, so the caller never deletes through one.
 */
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { hostMountNamespace, parseMountInfo } from '../../agent/mounter.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import type { Runner } from '../../lib/exec/runner.js';

/** A mount namespace: undefined for this process's own, else the /proc/<pid> of a process in it. */
type Namespace = string | undefined;

export interface UnmountDeps {
  runner: Runner;
  /** The runtime's mount namespace (agent/mounter.ts); undefined when it is this process's. */
  runtimeNamespace(): Promise<Namespace>;
  readMountInfo(ns: Namespace): string;
}

const realDeps = (): UnmountDeps => ({
  runner: new ProcessRunner({ timeoutMs: 30_000 }),
  runtimeNamespace: () => hostMountNamespace(),
  readMountInfo: (ns) => readFileSync(`${ns ?? '/proc/self'}/mountinfo`, 'utf8'),
});

/** PURE: the mount points strictly inside `root`, deepest first, each once. */
export function mountsInside(mountInfo: string, root: string): string[] {
  const prefix = root.endsWith(sep) ? root : root + sep;
  const paths = new Set(parseMountInfo(mountInfo).map((m) => m.path).filter((p) => p.startsWith(prefix)));
  return [...paths].sort((a, b) => b.split(sep).length - a.split(sep).length || b.length - a.length);
}

/** True when no component of `path` below `root` is a symlink (the kernel would follow it). */
function noLinksBelow(root: string, path: string): boolean {
  let at = root;
  for (const part of relative(root, path).split(sep)) {
    at = join(at, part);
    try {
      if (lstatSync(at).isSymbolicLink()) return false;
    } catch {
      return false; // gone or unreadable: not a path to hand umount
    }
  }
  return true;
}

/** Stacked mounts (one path mounted over twice) go one per pass. */
const MAX_PASSES = 4;

/** Unmounts every mount strictly inside `dir`; returns the mount points unmounted. Throws when any is left. */
export async function unmountUnder(dir: string, deps: UnmountDeps = realDeps()): Promise<string[]> {
  let root: string;
  try { root = realpathSync(dir); } catch { return []; } // no data dir: nothing mounted in it
  const runtimeNs = await deps.runtimeNamespace();
  const namespaces: Namespace[] = runtimeNs === undefined ? [undefined] : [undefined, runtimeNs];
  const done = new Set<string>();
  const problems: string[] = [];
  for (const ns of namespaces) {
    const umount = (args: string[]) => (ns === undefined ? deps.runner.run('umount', args) : deps.runner.run('nsenter', [`--mount=${ns}/ns/mnt`, '--', 'umount', ...args]));
    const refused = new Set<string>();
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const todo = mountsInside(deps.readMountInfo(ns), root).filter((m) => !refused.has(m));
      if (todo.length === 0) break;
      for (const m of todo) {
        // the path is checked from here; in the runtime's namespace (a slave of the host's) the same files
        if (!noLinksBelow(root, m)) { refused.add(m); problems.push(`${m} (a symlink on its path)`); continue; }
        try {
          await umount(['--no-canonicalize', m]);
        } catch {
          await umount(['--no-canonicalize', '--lazy', m]).catch(() => undefined); // busy: detach it, it goes when released; else reported below
        }
        done.add(m);
      }
    }
    for (const m of mountsInside(deps.readMountInfo(ns), root)) if (!refused.has(m)) problems.push(m);
  }
  if (problems.length > 0) throw new Error(`still mounted inside ${dir}, not deleting it: ${[...new Set(problems)].join(', ')}`);
  return [...done];
}
