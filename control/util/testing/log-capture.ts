/**
 * A logger (the real pino factory, at debug) that keeps every JSON line it writes, for tests that
 * read what a component logs: `lines` raw, `entries` parsed, `duplicates` the lines binding a key
 * twice (see duplicate-keys.ts).
 */
import { Writable } from 'node:stream';
import { createLogger } from '../log.js';
import type { Logger } from '../log.js';
import { duplicateKeys } from './duplicate-keys.js';

export class LogCapture {
  readonly log: Logger;
  readonly lines: string[] = [];

  /** `onLine` sees each line as it is written (tests count what they wait for). */
  constructor(o: { level?: string; onLine?: (line: string) => void } = {}) {
    const sink = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line.trim()) continue;
          this.lines.push(line);
          o.onLine?.(line);
        }
        cb();
      },
    });
    this.log = createLogger({ level: o.level ?? 'debug', destination: sink });
  }

  get entries(): Record<string, unknown>[] { return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>); }

  /** Lines that name a top-level key more than once, with the keys. */
  duplicates(): { keys: string[]; line: string }[] {
    return this.lines.map((line) => ({ keys: duplicateKeys(line), line })).filter((d) => d.keys.length > 0);
  }
}
