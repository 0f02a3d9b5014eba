/**
 * fsGroup ownership of a volume the agent manages (upstream SetVolumeOwnership): every entry under
 * the directory gets group fsGroup; files gain g+rw (g+r for a read-only volume), directories also
 * g+x and the setgid bit so what is created later inherits the group. Links get the group (lchown)
 * and keep their mode: a chmod would go through them. Nothing is followed: the walk uses lstat,
 * and files and directories are changed through a descriptor opened with O_NOFOLLOW.
 */
import { constants } from 'node:fs';
import { lchown, lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

/** PURE: the mode an entry gets (upstream changeFilePermission). */
export function ownedMode(mode: number, isDir: boolean, readOnly: boolean): number {
  let mask = readOnly ? RO_MASK : RW_MASK;
  if (isDir) mask |= SETGID | EXEC_MASK;
  return (mode & 0o7777) | mask;
}

/** Gives `dir` and everything under it group `fsGroup` (see the file comment). */
export async function setVolumeOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void> {
  const visit = async (path: string): Promise<void> => {
    const st = await lstat(path);
    if (st.isSymbolicLink()) {
      await lchown(path, -1, fsGroup);
      return;
    }
    if (!st.isDirectory() && !st.isFile()) return; // sockets, fifos: left as they are
    const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const now = await fh.stat();
      if (now.ino !== st.ino || now.dev !== st.dev) return; // swapped since lstat: not ours to change
      await fh.chown(-1, fsGroup);
      await fh.chmod(ownedMode(now.mode, now.isDirectory(), readOnly));
    } finally { await fh.close(); }
    if (st.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name));
  };
  await visit(dir);
}
