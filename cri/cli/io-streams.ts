/** The streams a crictl command reads and writes (kind's cmd.IOStreams): injected, never process globals. */
import type { Readable, Writable } from 'node:stream';

export interface IoStreams {
  in: Readable;
  out: Writable;
  err: Writable;
}
