/** An in-memory Mounter for agent tests: remembers what is mounted where, mounts nothing. */
import type { MountPoint, Mounter } from '../mounter.js';

export class FakeMounter implements Mounter {
  /** Mount point → what is mounted there (size in bytes when given). */
  readonly mounts = new Map<string, MountPoint & { sizeBytes?: number }>();

  mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
    this.mounts.set(dir, { path: dir, fsType: 'tmpfs', ...(sizeBytes === undefined ? {} : { sizeBytes }) });
    return Promise.resolve();
  }

  mountAt(dir: string): Promise<MountPoint | undefined> { return Promise.resolve(this.mounts.get(dir)); }

  unmountUnder(dir: string): Promise<void> {
    for (const p of [...this.mounts.keys()]) if (p === dir || p.startsWith(`${dir}/`)) this.mounts.delete(p);
    return Promise.resolve();
  }
}
