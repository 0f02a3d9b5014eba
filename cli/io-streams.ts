/**
 * The streams a command reads and writes (kind's cmd.IOStreams): main.ts makes the one instance
 * from the process's stdio and hands it down; commands never reach for process globals.
 */
import type { Readable, Writable } from 'node:stream';

export interface IoStreams {
  in: Readable;
  out: Writable;
  err: Writable;
}
