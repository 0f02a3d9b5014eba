import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demux, FrameDecoder } from './frames.js';

const frame = (stream: number, text: string): Buffer => {
  const payload = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
};

describe('FrameDecoder', () => {
  it('decodes frames split at any byte', () => {
    const all = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, '')]);
    for (let cut = 0; cut <= all.length; cut++) {
      const d = new FrameDecoder();
      const got = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
      expect(got.map((f) => `${f.stream}:${f.payload.toString()}`)).toEqual(['stdout:hello\n', 'stderr:oops\n', 'stdout:']);
      expect(d.pending).toBe(0);
    }
  });
});

describe('demux', () => {
  it('splits into stdout and stderr and ends both', async () => {
    const src = new PassThrough();
    const { stdout, stderr } = demux(src);
    src.end(Buffer.concat([frame(1, 'a'), frame(2, 'b'), frame(1, 'c')]));
    const read = async (r: NodeJS.ReadableStream): Promise<string> => { let s = ''; for await (const c of r) s += String(c); return s; };
    expect(await Promise.all([read(stdout), read(stderr)])).toEqual(['ac', 'b']);
  });
});
