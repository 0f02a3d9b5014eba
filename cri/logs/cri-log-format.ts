/**
 * The CRI container log format (the one grammar for it in tinykube), as containerd and the
 * kubelet write it, one record per line:
 *
 *   <RFC3339Nano time> <stdout|stderr> <F|P> <text>\n
 *
 * The time has a variable width (trailing zeros of the fraction trimmed). A line longer than the
 * runtime's max line size is split into P (partial) records ended by an F (full) record; a last
 * line without a newline stays P forever. PURE.
 */
import { parseDockerJsonLogRecord } from './docker-json-log.js';
import type { LogLine } from '../types.js';
import type { CriLogRecord, LogStream } from './log-record.js';

export type { CriLogRecord, LogStream } from './log-record.js';

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A record from one line (without its '\n'); undefined when the line is not in the format. */
export function parseCriLogRecord(line: Buffer): CriLogRecord | undefined {
  if (line[0] === 0x7b) return parseDockerJsonLogRecord(line); // '{': Docker's json-file line (a Docker node's log path)
  const sp1 = line.indexOf(0x20);
  if (sp1 <= 0) return undefined;
  const time = line.toString('latin1', 0, sp1);
  if (!TIME.test(time)) return undefined;
  const sp2 = line.indexOf(0x20, sp1 + 1);
  if (sp2 < 0) return undefined;
  const stream = line.toString('latin1', sp1 + 1, sp2);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = line.toString('latin1', sp2 + 1, sp2 + 2);
  if (tag !== 'F' && tag !== 'P') return undefined;
  // The tag is followed by one space, then the text; an empty full line may end at the tag.
  const after = line[sp2 + 2];
  if (after !== undefined && after !== 0x20) return undefined;
  return { time, stream, partial: tag === 'P', text: Buffer.from(line.subarray(Math.min(sp2 + 3, line.length))) };
}

/** One record as the runtime writes it (the inverse of parseCriLogRecord). */
export function formatCriLogRecord(r: CriLogRecord): Buffer {
  return Buffer.concat([Buffer.from(`${r.time} ${r.stream} ${r.partial ? 'P' : 'F'} `), r.text, Buffer.from('\n')]);
}

/**
 * Milliseconds since the epoch of an RFC3339Nano time (the fraction past milliseconds dropped);
 * NaN when it is not one.
 */
export function criLogTimeMs(time: string): number {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(time);
  if (!m) return NaN;
  const frac = (m[2] ?? '').slice(0, 3).padEnd(3, '0');
  return Date.parse(`${m[1]!}.${frac}${m[3]!}`);
}

/**
 * Joins P records with the F record that ends them, per stream (stdout and stderr records may
 * interleave). A joined line carries the time of its first record.
 */
export class CriLogJoiner {
  readonly #pending = new Map<LogStream, { time: string; parts: Buffer[] }>();

  /** The completed line, or undefined while the record is partial. */
  push(r: CriLogRecord): LogLine | undefined {
    const p = this.#pending.get(r.stream);
    if (r.partial) {
      if (p) p.parts.push(r.text);
      else this.#pending.set(r.stream, { time: r.time, parts: [r.text] });
      return undefined;
    }
    if (!p) return { time: r.time, stream: r.stream, line: r.text };
    this.#pending.delete(r.stream);
    return { time: p.time, stream: r.stream, line: Buffer.concat([...p.parts, r.text]) };
  }

  get hasPending(): boolean { return this.#pending.size > 0; }

  /** The partial lines still waiting for their F record (a last line without newline), oldest first. */
  flush(): LogLine[] {
    const out = [...this.#pending].map(([stream, p]) => ({ time: p.time, stream, line: Buffer.concat(p.parts) }));
    this.#pending.clear();
    return out.sort((a, b) => criLogTimeMs(a.time) - criLogTimeMs(b.time));
  }
}
