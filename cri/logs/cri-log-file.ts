/**
 * Reads a container's CRI log file (cri-log-format.ts) as LogLines: partial records joined,
 * optionally only the last N lines (counted in file lines, as the kubelet does) and only lines at
 * or after a time, and with `follow` new lines as the runtime appends them until `signal` aborts.
 * Without `follow` the file is read up to its size when the read began.
 *
 * Following survives rotation: when the path names a new file (renamed away, then reopened by
 * the runtime: ReopenContainerLog), the old file is read to its end and the new one from its
 * start; a truncated file is read again from its start. `stopFollowing` ends a follow gracefully
 * (read to the end, partial line emitted), `signal` at once. Changes are noticed through fs.watch on
 * the directory, with polling as the fallback. A last partial line that stays partial (the
 * container wrote no final newline) is emitted at the end of the file without follow, and after
 * `partialFlushMs` of quiet with it.
 */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { CriError } from '../errors.js';
import type { LogLine } from '../types.js';
import { CriLogJoiner, criLogTimeMs, parseCriLogRecord } from './cri-log-format.js';
import { tailOffset } from './tail-offset.js';

export interface ReadCriLogOptions {
  follow: boolean;
  /** Only the last N lines of the file (then, with follow, what comes after them). */
  tailLines?: number;
  /** Only lines whose time is at or after this. */
  sinceTime?: Date;
  /** Ends the iteration quietly, at once (what is not yet read is dropped). */
  signal: AbortSignal;
  /**
   * Follow: ends following gracefully (the container exited): the rest of the file is read, a
   * partial last line emitted, then the iteration ends.
   */
  stopFollowing?: AbortSignal;
  /** Follow: how often to look at the file when no change event came (default 250 ms). */
  pollMs?: number;
  /** Follow: a partial last line is emitted after this long without new data (default 1000 ms). */
  partialFlushMs?: number;
}

const READ_BYTES = 64 * 1024;

export async function* readCriLog(path: string, opts: ReadCriLogOptions): AsyncGenerator<LogLine> {
  const { signal } = opts;
  if (signal.aborted) return;
  let fh = await openLog(path);
  const changes = opts.follow ? new ChangeWaiter(path) : undefined;
  try {
    const size = (await fh.stat()).size;
    // without follow the file is read as it was when asked (a busy log would add lines past a --tail)
    const limit = opts.follow ? Infinity : size;
    let pos = opts.tailLines === undefined ? 0 : await tailOffset(fh, size, opts.tailLines);
    const joiner = new CriLogJoiner();
    const since = opts.sinceTime?.getTime();
    const keep = (l: LogLine | undefined): l is LogLine => l !== undefined && (since === undefined || !(criLogTimeMs(l.time) < since));
    let rest = Buffer.alloc(0);
    const buf = Buffer.alloc(READ_BYTES);
    let quietSince = Date.now();

    /** Reads what was appended since `pos` and returns its complete lines. */
    const readNew = async (): Promise<LogLine[]> => {
      const out: LogLine[] = [];
      for (;;) {
        const want = Math.min(buf.length, limit - pos);
        if (want <= 0) return out;
        const { bytesRead } = await fh.read(buf, 0, want, pos);
        if (bytesRead === 0) return out;
        pos += bytesRead;
        quietSince = Date.now();
        let chunk = rest.length > 0 ? Buffer.concat([rest, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
        let nl: number;
        while ((nl = chunk.indexOf(0x0a)) >= 0) {
          const r = parseCriLogRecord(chunk.subarray(0, nl));
          const line = r && joiner.push(r);
          if (keep(line)) out.push(line);
          chunk = chunk.subarray(nl + 1);
        }
        rest = Buffer.from(chunk);
      }
    };
    /** The unterminated end of the file as a record, and partial lines, when the file is done. */
    const finish = (): LogLine[] => {
      const r = rest.length > 0 ? parseCriLogRecord(rest) : undefined;
      rest = Buffer.alloc(0);
      const last = r && joiner.push(r);
      return [...(last ? [last] : []), ...joiner.flush()].filter(keep);
    };

    for (;;) {
      for (const l of await readNew()) { if (signal.aborted) return; yield l; }
      if (!changes || opts.stopFollowing?.aborted) {
        for (const l of [...await readNew(), ...finish()]) { if (signal.aborted) return; yield l; }
        return;
      }
      const now = await stat(path).catch(() => undefined);
      const mine = await fh.stat();
      if (now && now.ino !== mine.ino) {
        // Rotated: the old file may have got its last lines after our read.
        for (const l of [...await readNew(), ...finish()]) { if (signal.aborted) return; yield l; }
        const next = await openLog(path).catch(() => undefined);
        if (next) { await fh.close(); fh = next; pos = 0; continue; }
      } else if (mine.size < pos) {
        pos = 0; rest = Buffer.alloc(0); continue; // truncated
      }
      if (joiner.hasPending && Date.now() - quietSince >= (opts.partialFlushMs ?? 1000)) {
        for (const l of joiner.flush().filter(keep)) yield l;
      }
      if (signal.aborted) return;
      await changes.wait(opts.pollMs ?? 250, signal, opts.stopFollowing);
      if (signal.aborted) return;
    }
  } finally {
    changes?.close();
    await fh.close();
  }
}

async function openLog(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CriError(code === 'ENOENT' ? 'NotFound' : 'Unknown', `open container log ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Wakes a follower when the log's directory reports a change to the file, or after a poll interval. */
class ChangeWaiter {
  #watcher: FSWatcher | undefined;
  #changed = false;
  #wake: (() => void) | undefined;

  constructor(path: string) {
    const name = basename(path);
    try {
      this.#watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
        if (file !== null && file !== name) return;
        this.#changed = true;
        this.#wake?.();
      });
      this.#watcher.on('error', () => this.close()); // the directory went away: polling goes on
    } catch {
      // no inotify (or too many watches): polling alone notices changes
      this.#watcher = undefined;
    }
  }

  /** Resolves on a change, after `pollMs`, or when one of the signals aborts. */
  wait(pollMs: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
    if (this.#changed) { this.#changed = false; return Promise.resolve(); }
    const live = signals.filter((s): s is AbortSignal => s !== undefined);
    if (live.some((s) => s.aborted)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        for (const s of live) s.removeEventListener('abort', done);
        this.#wake = undefined;
        this.#changed = false;
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      for (const s of live) s.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
