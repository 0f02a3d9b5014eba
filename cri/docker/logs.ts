/**
 * Container logs from `docker logs --timestamps`, turned into CRI LogLine records. Without a TTY
 * the stream is multiplexed (frames); with a TTY it is raw stdout. Each line starts with an
 * RFC3339Nano timestamp and a space. Lines split across frames or chunks are joined.
 */
import type { LogLine } from '../types.js';
import type { DockerEngine } from './engine/client.js';
import { docker as call, translateDockerError } from './errors.js';
import { FrameDecoder, type StreamName } from './frames.js';
import { dateToDockerSince } from './time.js';

export interface LogsOptions { follow: boolean; tailLines?: number; sinceTime?: Date }

/** Splits timestamped docker log text into LogLines; keeps incomplete lines per stream. */
export class LogLineParser {
  readonly #rest: Record<'stdout' | 'stderr', Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };

  push(stream: StreamName, data: Buffer): LogLine[] {
    const s = stream === 'stderr' ? 'stderr' : 'stdout';
    let buf = this.#rest[s].length === 0 ? data : Buffer.concat([this.#rest[s], data]);
    const lines: LogLine[] = [];
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) >= 0) {
      lines.push(parseLine(s, buf.subarray(0, nl)));
      buf = buf.subarray(nl + 1);
    }
    this.#rest[s] = buf;
    return lines;
  }

  /** The unterminated tails (a last line without newline). */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.#rest[s].length > 0) out.push(parseLine(s, this.#rest[s]));
      this.#rest[s] = Buffer.alloc(0);
    }
    return out;
  }
}

function parseLine(stream: 'stdout' | 'stderr', raw: Buffer): LogLine {
  const sp = raw.indexOf(0x20);
  const head = sp > 0 ? raw.subarray(0, sp).toString('latin1') : '';
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(head)) {
    return { time: head, stream, line: Buffer.from(raw.subarray(sp + 1)) };
  }
  return { time: new Date().toISOString(), stream, line: Buffer.from(raw) };
}

export async function* containerLogs(d: DockerEngine, id: string, opts: LogsOptions, signal: AbortSignal): AsyncGenerator<LogLine> {
  const info = await call(`inspect container ${id}`, () => d.inspectContainer(id));
  const tty = info.Config.Tty;
  const query = {
    follow: opts.follow, stdout: true, stderr: true, timestamps: true,
    ...(opts.tailLines === undefined ? {} : { tail: opts.tailLines }),
    ...(opts.sinceTime === undefined ? {} : { since: dateToDockerSince(opts.sinceTime) }),
  };
  const parser = new LogLineParser();
  const decoder = new FrameDecoder();
  const split = (chunk: Buffer): LogLine[] => tty
    ? parser.push('stdout', chunk)
    : decoder.push(chunk).flatMap((f) => parser.push(f.stream, f.payload));
  signal.throwIfAborted();
  // The whole log without follow; with it, the stream stays open until the container stops or `signal` aborts.
  const stream = await call(`logs of ${id}`, () => d.containerLogs(id, query, signal));
  try {
    for await (const chunk of stream) yield* split(chunk as Buffer);
    yield* parser.flush();
  } catch (e) {
    if (!signal.aborted) throw translateDockerError(e, `logs of ${id}`);
  } finally {
    stream.destroy();
  }
}
