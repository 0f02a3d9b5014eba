/**
 * Decoder for Docker's multiplexed stream format (attach/exec/logs without a TTY): frames of an
 * 8-byte header [stream, 0, 0, 0, size uint32 BE] followed by `size` bytes. Pure and incremental:
 * chunks may split headers and payloads anywhere.
 */
import { PassThrough, type Readable } from 'node:stream';

export type StreamName = 'stdin' | 'stdout' | 'stderr';
export interface Frame { stream: StreamName; payload: Buffer }

const NAMES: Record<number, StreamName> = { 0: 'stdin', 1: 'stdout', 2: 'stderr' };

export class FrameDecoder {
  #buf: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the frames completed by it. */
  push(chunk: Buffer): Frame[] {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const frames: Frame[] = [];
    while (this.#buf.length >= 8) {
      const size = this.#buf.readUInt32BE(4);
      if (this.#buf.length < 8 + size) break;
      const stream = NAMES[this.#buf[0] ?? 1] ?? 'stdout';
      frames.push({ stream, payload: this.#buf.subarray(8, 8 + size) });
      this.#buf = this.#buf.subarray(8 + size);
    }
    return frames;
  }

  /** Bytes still waiting for the rest of their frame. */
  get pending(): number { return this.#buf.length; }
}

/** Splits a multiplexed stream into stdout and stderr streams; both end when `source` ends. */
export function demux(source: NodeJS.ReadableStream): { stdout: Readable; stderr: Readable } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const decoder = new FrameDecoder();
  source.on('data', (chunk: Buffer) => {
    for (const f of decoder.push(chunk)) (f.stream === 'stderr' ? stderr : stdout).write(f.payload);
  });
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    stdout.end();
    stderr.end();
  };
  source.on('end', finish);
  source.on('close', finish);
  source.on('error', (e: Error) => { stdout.destroy(e); stderr.destroy(e); });
  return { stdout, stderr };
}
