/**
 * The CRI socket file, created safely: the socket is bound inside a fresh private directory
 * (mode 0700) beside the target, made 0600 (root only: the socket is the credential), then
 * renamed into place, so no other user ever sees it with looser permissions. What sits at the
 * path already is replaced only when it is a socket nobody listens on (a stale one from a
 * crashed agent); a live socket, a symlink, a file or a directory is refused, never followed.
 */
import { lstat, mkdir, mkdtemp, rename, rm, unlink, chmod } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';

export const SOCKET_MODE = 0o600;
/** sun_path's 108 bytes, the last one NUL. */
const MAX_SOCKET_PATH = 107;
const TMP_PREFIX = '.cri';

export interface PlacedSocket {
  readonly path: string;
  /** Unlinks the socket if it is still the one placed here (not a successor's). */
  remove(): Promise<void>;
}

const errnoOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** Whether something accepts connections on the socket at `path`. */
function listening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ path });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** Throws unless `path` is free or holds a stale socket. */
async function checkTarget(path: string): Promise<void> {
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    throw new Error(`cri socket ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (!st.isSocket()) throw new Error(`cri socket ${path}: refusing to replace it, it is not a socket`);
  if (await listening(path)) throw new Error(`cri socket ${path}: another server is listening on it`);
}

/**
 * Binds a socket with `bind(tmpPath)` (which must create it there) and moves it to `path`.
 * On failure nothing is left behind.
 */
export async function placeSocket(path: string, bind: (tmpPath: string) => Promise<void>): Promise<PlacedSocket> {
  const dir = dirname(path);
  const longest = Math.max(Buffer.byteLength(path), Buffer.byteLength(join(dir, `${TMP_PREFIX}XXXXXX`, 's')));
  if (longest > MAX_SOCKET_PATH) throw new Error(`cri socket ${path}: path too long for a unix socket (its directory's name must be shorter)`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await checkTarget(path);
  const tmpDir = await mkdtemp(join(dir, TMP_PREFIX));
  try {
    const tmp = join(tmpDir, 's');
    await bind(tmp);
    await chmod(tmp, SOCKET_MODE);
    await rename(tmp, path);
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  // inode numbers are reused at once: the change time (set by our rename) tells ours from a successor's
  const placed = await lstat(path, { bigint: true });
  return {
    path,
    async remove() {
      try {
        const st = await lstat(path, { bigint: true });
        if (st.isSocket() && st.ino === placed.ino && st.ctimeNs === placed.ctimeNs) await unlink(path);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw new Error(`remove cri socket ${path}: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}
