/**
 * Mounts the agent makes on the host for pod volumes (kubelet's mount.Interface, the part an
 * emptyDir with medium Memory needs). The agent may run in a mount namespace of its own (`cluster
 * up` runs it under `ip netns exec`, which unshares one), so HostMounter works in the host's
 * namespace, where the container runtime mounts volumes into containers (as upstream's nsenter
 * mounter did): it reads that namespace's mountinfo and runs mount/umount through `nsenter --mount`.
 * hostMountNamespace() finds it: the runtime's (dockerd's pid file; `tinykube agent` passes none for
 * containerd), else pid 1's, else the agent's own.
 */
import { readFile, readlink } from 'node:fs/promises';
import type { Runner } from '../lib/exec/runner.js';

export interface MountPoint { path: string; fsType: string }

export interface Mounter {
  /** Mount a new tmpfs at `dir` (size in bytes when given; else the kernel's default, half the RAM). */
  mountTmpfs(dir: string, sizeBytes?: number): Promise<void>;
  /** The mount at exactly `dir`, if any. */
  mountAt(dir: string): Promise<MountPoint | undefined>;
  /** Unmount every mount at or below `dir`, deepest first; nothing mounted is not an error. */
  unmountUnder(dir: string): Promise<void>;
}

/** The process whose mount namespace the mounts go to: `/proc/<pid>`, or undefined for the agent's own. */
export async function hostMountNamespace(pidFiles: readonly string[] = ['/var/run/docker.pid']): Promise<string | undefined> {
  const candidates: string[] = [];
  for (const f of pidFiles) {
    const pid = (await readFile(f, 'utf8').catch(() => '')).trim(); // absent: the next candidate
    if (/^[0-9]+$/.test(pid)) candidates.push(`/proc/${pid}`);
  }
  candidates.push('/proc/1');
  for (const proc of candidates) {
    const ns = await readlink(`${proc}/ns/mnt`).catch(() => undefined); // not ours to read: the next one
    if (ns === undefined) continue;
    return ns === await readlink('/proc/self/ns/mnt') ? undefined : proc;
  }
  return undefined;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** PURE: the mount points of a mountinfo text (proc(5): field 5 the mount point, the first after " - " the type). */
export function parseMountInfo(text: string): MountPoint[] {
  const out: MountPoint[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (f.length < 5 || dash < 0) continue;
    out.push({ path: unescape(f[4]!), fsType: f[dash + 1] ?? '' });
  }
  return out;
}

const under = (dir: string, p: string): boolean => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

export class HostMounter implements Mounter {
  /** `proc`: the `/proc/<pid>` of a process in the target namespace; undefined: the agent's own. */
  constructor(private readonly runner: Runner, private readonly proc: () => Promise<string | undefined>,
    private readonly readInfo: (path: string) => Promise<string> = (p) => readFile(p, 'utf8')) {}

  private async mountInfo(): Promise<string> { return this.readInfo(`${await this.proc() ?? '/proc/self'}/mountinfo`); }

  private async inNamespace(cmd: string, args: string[]): Promise<void> {
    const proc = await this.proc();
    if (proc === undefined) await this.runner.run(cmd, args);
    else await this.runner.run('nsenter', [`--mount=${proc}/ns/mnt`, '--', cmd, ...args]);
  }

  async mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
    const opts = sizeBytes !== undefined && sizeBytes > 0 ? ['-o', `size=${sizeBytes}`] : [];
    await this.inNamespace('mount', ['-t', 'tmpfs', ...opts, 'tmpfs', dir]);
  }

  async mountAt(dir: string): Promise<MountPoint | undefined> {
    return parseMountInfo(await this.mountInfo()).reverse().find((m) => m.path === dir);
  }

  async unmountUnder(dir: string): Promise<void> {
    const paths = [...new Set(parseMountInfo(await this.mountInfo()).filter((m) => under(dir, m.path)).map((m) => m.path))];
    for (const p of paths.sort((a, b) => b.length - a.length)) {
      await this.inNamespace('umount', [p]);
    }
  }
}
