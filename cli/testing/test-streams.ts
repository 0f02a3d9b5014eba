/** IoStreams for command tests: stdin from a string, stdout and stderr collected as text. */
import { PassThrough, Readable } from 'node:stream';
import type { IoStreams } from '../io-streams.js';

export interface TestStreams {
  streams: IoStreams;
  /** Everything written to out so far. */
  out(): string;
  /** Everything written to err so far. */
  err(): string;
}

export function testStreams(input = ''): TestStreams {
  const collect = () => {
    const s = new PassThrough();
    let text = '';
    s.on('data', (b: Buffer) => { text += b.toString(); });
    return { s, text: () => text };
  };
  const out = collect();
  const err = collect();
  return { streams: { in: Readable.from([input]), out: out.s, err: err.s }, out: out.text, err: err.text };
}
