/**
 * The CRI log file of a Docker container, written by the runtime itself (as containerd's shim IO
 * does): Docker's log stream, followed with timestamps and demultiplexed, becomes
 * `<RFC3339Nano> stdout|stderr P|F <text>` lines at the container's CRI log path (cri-notes §4, G9).
 * A line longer than 16 KiB is cut into P pieces ending with an F piece. Reopen closes the file and
 * opens the path again (a new file after a rename: log rotation). A copy that starts on a file
 * that already has lines (the agent restarted) resumes after the last time written there, so no
 * line is written twice (one written in that same nanosecond would be skipped too); when the file
 * has none yet (it was just rotated), after the last time of the newest rotated file beside it
 * (`<file>.<anything>`, uncompressed: the kubelet gzips a rotated file only at the next rotation).
 */
import { lstat, mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { LogLine } from '../types.js';

/** containerd's and CRI-O's piece size. */
export const MAX_LOG_PIECE = 16 * 1024;

/** Docker's log lines from `since` on (all without it), following until the container ends or `signal` aborts. */
/** A container's log from Docker: followed until the container stops, or (follow false) what there is now. */
export type LogSource = (since: Date | undefined, signal: AbortSignal, follow?: boolean) => AsyncIterable<LogLine>;

/** PURE. One LogLine as CRI log text: P pieces of at most `maxPiece` bytes, then an F piece. */
export function criLogText(l: LogLine, maxPiece: number = MAX_LOG_PIECE): Buffer {
  const parts: Buffer[] = [];
  let rest = l.line;
  do {
    const piece = rest.subarray(0, maxPiece);
    rest = rest.subarray(piece.length);
    parts.push(Buffer.from(`${l.time} ${l.stream} ${rest.length > 0 ? 'P' : 'F'} `), piece, Buffer.from('\n'));
  } while (rest.length > 0);
  return Buffer.concat(parts);
}

/** PURE. "2026-11-21T23:11:07.484211664Z" → nanoseconds since the epoch, exactly; undefined if it is no such time. */
export function rfc3339ToNs(s: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms / 1000) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** The time of the last complete line of a CRI log file; undefined when it has none (or is absent). */
export async function lastLogTime(path: string): Promise<bigint | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, 4 * MAX_LOG_PIECE);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    const end = buf.lastIndexOf(0x0a);
    if (end < 0) return undefined;
    const start = buf.lastIndexOf(0x0a, end - 1) + 1;
    if (start === 0 && len < size) return undefined; // a line longer than what was read: no start in sight
    const line = buf.subarray(start, end).toString('latin1');
    return rfc3339ToNs(line.slice(0, line.indexOf(' ')));
  } finally {
    await fh.close();
  }
}

/** Where a copy resumes: the last time in `path`, else in its newest uncompressed rotated file; undefined when neither has a line. */
export async function resumeTime(path: string): Promise<bigint | undefined> {
  const live = await lastLogTime(path);
  if (live !== undefined) return live;
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let newest: { name: string; mtimeMs: number } | undefined;
  for (const name of await readdir(dir).catch(() => [])) {
    if (!name.startsWith(prefix) || name.endsWith('.gz') || name.endsWith('.tmp')) continue;
    const st = await lstat(join(dir, name)).catch(() => undefined);
    if (st?.isFile() !== true) continue;
    // the last written; on a tie the greater name (the kubelet's stamps sort in time order)
    if (newest === undefined || st.mtimeMs > newest.mtimeMs || (st.mtimeMs === newest.mtimeMs && name > newest.name)) newest = { name, mtimeMs: st.mtimeMs };
  }
  return newest === undefined ? undefined : lastLogTime(join(dir, newest.name));
}

/** Copies one container's log stream into its CRI log file until the stream ends or stop(). */
export class CriLogCopy {
  readonly #path: string;
  readonly #abort = new AbortController();
  readonly #log: Logger | undefined;
  #fh: FileHandle | undefined;
  #queue: Promise<void> = Promise.resolve();
  /** Settles once the stream has ended (the container stopped) and the file is closed. */
  readonly done: Promise<void>;
  /** Settles once the file is open (or could not be opened). */
  readonly opened: Promise<void>;
  #setOpened: () => void = () => undefined;

  constructor(path: string, source: LogSource, log?: Logger) {
    this.#path = path;
    this.#log = log;
    this.opened = new Promise<void>((resolve) => { this.#setOpened = resolve; });
    this.done = this.#run(source);
  }

  /** Closes the file and opens the path again, creating it when it was renamed away. */
  reopen(): Promise<void> {
    return this.#serial(async () => {
      await this.#fh?.close();
      this.#fh = undefined;
      await this.#openFile();
    });
  }

  /** Ends the copy (container removed); resolves when the file is closed. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.done;
  }

  async #run(source: LogSource): Promise<void> {
    try {
      const after = await resumeTime(this.#path);
      await this.#serial(() => this.#openFile()).finally(() => this.#setOpened());
      let last = after;
      const copy = async (lines: AsyncIterable<LogLine>): Promise<void> => {
        for await (const l of lines) {
          const t = rfc3339ToNs(l.time);
          if (last !== undefined && (t ?? last + 1n) <= last) continue;
          await this.#serial(async () => { await this.#fh?.write(criLogText(l)); });
          if (t !== undefined) last = t;
        }
      };
      // Docker's `since` has millisecond steps here and includes its bound: skip what the file has
      const sinceOf = (ns: bigint | undefined): Date | undefined => (ns === undefined ? undefined : new Date(Number(ns / 1_000_000n)));
      await copy(source(sinceOf(after), this.#abort.signal));
      // A follow stream of a container that exits at once can end before its last (partial) line
      // (seen on a loaded node: `echo -n DONE; false` left an empty file); what Docker kept since
      // the last line copied is read once more, without following.
      if (!this.#abort.signal.aborted) await copy(source(sinceOf(last), this.#abort.signal, false));
    } catch (err) {
      if (!this.#abort.signal.aborted) this.#log?.warn({ err, path: this.#path }, 'Container log copy ended early');
    } finally {
      this.#setOpened();
      await this.#serial(async () => { await this.#fh?.close(); this.#fh = undefined; }).catch(() => undefined);
    }
  }

  async #openFile(): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    // a link to Docker's own json-file log (what earlier versions left there) is replaced, never written through
    if ((await lstat(this.#path).catch(() => undefined))?.isSymbolicLink() === true) await unlink(this.#path);
    this.#fh = await open(this.#path, 'a', 0o640);
  }

  /** File operations one at a time, in order (a reopen never cuts a write in two). */
  #serial(fn: () => Promise<void>): Promise<void> {
    const p = this.#queue.then(fn);
    this.#queue = p.catch(() => undefined);
    return p;
  }
}

/** True when the path exists (a log file a resumed copy may append to). */
export async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
