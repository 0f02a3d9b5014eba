/**
 * Writes the files of a configMap, secret, downwardAPI or projected volume the way the kubelet's
 * AtomicWriter does, so a reader never sees half an update and nothing in the directory can turn
 * a write into a write elsewhere:
 *
 *   <dir>/..2026_12_05_07_10_00.Ab12Cd/   the payload (a new directory for every change)
 *   <dir>/..data -> ..2026_12_05_07_10_00.Ab12Cd   swapped with rename(..data_tmp, ..data)
 *   <dir>/<key>  -> ..data/<key>          one link per top-level name of the payload
 *
 * The writer follows no link it did not make: files are created with O_EXCL|O_NOFOLLOW inside a
 * directory it just made, old content is read with O_NOFOLLOW, and anything in <dir> that is not
 * what it wrote (a regular file where its link should be, a link pointing elsewhere, `..data`
 * pointing outside <dir>) refuses the write with an AtomicWriteError.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, readlink, rename, rm, symlink, unlink } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';

const DATA = '..data';
const DATA_TMP = '..data_tmp';
/** Longest payload path, as upstream's maxPathLength. */
const MAX_PATH = 4096;

/** One file of the payload (upstream FileProjection). */
export interface FileProjection { data: Buffer; mode: number; fsUser?: number }

export type AtomicWriteErrorCode = 'InvalidPath' | 'ForeignEntry';

export class AtomicWriteError extends Error {
  constructor(readonly code: AtomicWriteErrorCode, message: string) { super(message); this.name = 'AtomicWriteError'; }
}

const errno = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** PURE: upstream validatePath — relative, no `..` element, the first element not starting with `..`. */
export function validatePayloadPath(p: string): void {
  if (p === '') throw new AtomicWriteError('InvalidPath', 'invalid path: must not be empty');
  if (p.length > MAX_PATH) throw new AtomicWriteError('InvalidPath', `invalid path: must be less than or equal to ${MAX_PATH} characters`);
  if (posix.isAbsolute(p)) throw new AtomicWriteError('InvalidPath', `invalid path: must be relative path: ${p}`);
  const items = p.split('/');
  if (items.includes('..')) throw new AtomicWriteError('InvalidPath', `invalid path: must not contain '..': ${p}`);
  if (items[0]!.startsWith('..')) throw new AtomicWriteError('InvalidPath', `invalid path: must not start with '..': ${p}`);
}

const topName = (p: string): string => p.split('/')[0]!;

export class AtomicWriter {
  /** `targetDir` must already exist as a real directory; it is the volume's host path. */
  constructor(private readonly targetDir: string) {}

  /**
   * Makes the directory hold exactly `payload`. Nothing is written when the payload is what is
   * there already (returns false). `setPerms` runs on the new payload directory before it is
   * made visible (fsGroup ownership).
   */
  async write(payload: ReadonlyMap<string, FileProjection>, setPerms?: (tsDir: string) => Promise<void>): Promise<boolean> {
    for (const p of payload.keys()) validatePayloadPath(p);
    await this.expectDir(this.targetDir, 'the volume directory');
    const oldTs = await this.currentTsDir();
    const old = oldTs ? await this.readTree(join(this.targetDir, oldTs)) : new Map<string, Buffer>();
    const newNames = new Set([...payload.keys()].map(topName));
    const oldNames = new Set([...old.keys()].map(topName));
    const absent = new Set<string>();
    for (const n of new Set([...newNames, ...oldNames])) if (await this.visibleLink(n) === undefined) absent.add(n);
    if (oldTs && ![...newNames].some((n) => absent.has(n)) && sameContent(old, payload)) return false;

    const stamp = new Date().toISOString().replace(/[-T:]/g, '_').replace(/\..*$/, '');
    const tsDir = await mkdtemp(join(this.targetDir, `..${stamp}.`));
    const fh = await open(tsDir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    try { await fh.chmod(0o755); } finally { await fh.close(); }
    for (const [p, f] of payload) await writeNew(join(tsDir, p), f);
    if (setPerms) await setPerms(tsDir);

    const tmp = join(this.targetDir, DATA_TMP);
    if (await this.linkOrAbsent(tmp, undefined) !== undefined) await unlink(tmp); // left by a crash between symlink and rename
    await symlink(posix.basename(tsDir), tmp);
    await rename(tmp, join(this.targetDir, DATA));
    for (const n of newNames) if (absent.has(n)) await symlink(`${DATA}/${n}`, join(this.targetDir, n));
    for (const n of oldNames) if (!newNames.has(n) && !absent.has(n)) await unlink(join(this.targetDir, n));
    if (oldTs) await rm(join(this.targetDir, oldTs), { recursive: true, force: true }); // rm never follows links
    return true;
  }

  /** The directory `..data` points at, checked to be a real directory directly inside targetDir. */
  private async currentTsDir(): Promise<string | undefined> {
    const target = await this.linkOrAbsent(join(this.targetDir, DATA), undefined);
    if (target === undefined) return undefined;
    if (target.includes('/') || !target.startsWith('..') || target === DATA || target === DATA_TMP) {
      throw new AtomicWriteError('ForeignEntry', `${DATA} in ${this.targetDir} points at ${JSON.stringify(target)}, not at a directory this writer made`);
    }
    await this.expectDir(join(this.targetDir, target), `the payload directory ${target}`);
    return target;
  }

  /** A user-visible name must be absent (undefined) or the link this writer makes (`..data/<name>`). */
  private visibleLink(name: string): Promise<string | undefined> {
    return this.linkOrAbsent(join(this.targetDir, name), `${DATA}/${name}`);
  }

  /**
   * The target of the link at `path`, or undefined when nothing is there; anything else (a file,
   * a directory, or a link to another target than `want` when given) is refused.
   */
  private async linkOrAbsent(path: string, want: string | undefined): Promise<string | undefined> {
    let st;
    try { st = await lstat(path); } catch (err) {
      if (errno(err) === 'ENOENT') return undefined;
      throw err;
    }
    if (!st.isSymbolicLink()) throw new AtomicWriteError('ForeignEntry', `${path} is not a link this writer made`);
    const target = await readlink(path);
    if (want !== undefined && target !== want) throw new AtomicWriteError('ForeignEntry', `${path} points at ${JSON.stringify(target)}, not at ${want}`);
    return target;
  }

  private async expectDir(path: string, what: string): Promise<void> {
    const st = await lstat(path);
    if (!st.isDirectory()) throw new AtomicWriteError('ForeignEntry', `${what} (${path}) is not a directory`);
  }

  /** Every regular file under dir (relative path → content), read without following links. */
  private async readTree(dir: string): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const walk = async (rel: string): Promise<void> => {
      for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(r);
        else if (e.isFile()) out.set(r, await readNoFollow(join(dir, r)));
        else throw new AtomicWriteError('ForeignEntry', `${join(dir, r)} is not a file this writer made`);
      }
    };
    await walk('');
    return out;
  }
}

/** Content only, as upstream's shouldWritePayload: modes are fixed by the pod spec, and fsGroup widens them. */
function sameContent(old: ReadonlyMap<string, Buffer>, payload: ReadonlyMap<string, FileProjection>): boolean {
  if (old.size !== payload.size) return false;
  for (const [p, f] of payload) if (!old.get(p)?.equals(f.data)) return false;
  return true;
}

async function readNoFollow(path: string): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try { return await fh.readFile(); } finally { await fh.close(); }
}

/** Creates one payload file inside a fresh payload directory: never an existing file, never through a link. */
async function writeNew(path: string, f: FileProjection): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, f.mode & 0o777);
  try {
    await fh.writeFile(f.data);
    await fh.chmod(f.mode & 0o7777); // the umask cut the mode open() was given
    if (f.fsUser !== undefined) await fh.chown(f.fsUser, -1);
  } finally { await fh.close(); }
}
