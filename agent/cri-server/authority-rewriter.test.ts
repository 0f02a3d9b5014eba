/**
 * AuthorityRewriter: header blocks as grpc-go encodes them (dynamic table, Huffman, padding,
 * priority, CONTINUATION) come out as literal blocks a fresh decoder reads, with a path-like
 * :authority replaced; every other frame and a non-HTTP/2 stream pass through unchanged; and a
 * real Node HTTP/2 server accepts a request it would otherwise reset.
 */
import { connect, createServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Socket, createConnection, createServer as createNetServer } from 'node:net';
import { Duplex } from 'node:stream';
import hpack from 'hpack.js';
import { describe, expect, it } from 'vitest';
import { AuthorityRewriter, encodeLiterals } from './authority-rewriter.js';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

interface Frame { type: number; flags: number; streamId: number; payload: Buffer }
function parse(buf: Buffer): Frame[] {
  const out: Frame[] = [];
  for (let off = 0; off < buf.length;) {
    const len = buf.readUIntBE(off, 3);
    out.push({ type: buf[off + 3]!, flags: buf[off + 4]!, streamId: buf.readUInt32BE(off + 5), payload: buf.subarray(off + 9, off + 9 + len) });
    off += 9 + len;
  }
  return out;
}

const rewrite = async (chunks: Buffer[]): Promise<Buffer> => {
  const r = new AuthorityRewriter();
  const out: Buffer[] = [];
  r.on('data', (d: Buffer) => out.push(d));
  const ended = new Promise((resolve, reject) => { r.once('end', resolve); r.once('error', reject); });
  for (const c of chunks) r.write(c);
  r.end();
  await ended;
  return Buffer.concat(out);
};

const request = (path: string) => [
  { name: ':method', value: 'POST' }, { name: ':scheme', value: 'http' }, { name: ':path', value: path },
  { name: ':authority', value: '/tmp/tk/cri.sock' }, { name: 'content-type', value: 'application/grpc' },
  { name: 'user-agent', value: 'grpc-go/1.51.0' }, { name: 'te', value: 'trailers' },
];

describe('AuthorityRewriter', () => {
  it('re-encodes header blocks that use the client\'s dynamic table, replacing a path authority', async () => {
    const client = hpack.compressor.create({ table: { maxSize: 4096 } });
    const encode = (headers: { name: string; value: string }[]) => { client.write(headers); const parts: Buffer[] = []; for (let b = client.read(); b !== null; b = client.read()) parts.push(b); return Buffer.concat(parts); };
    const first = encode(request('/runtime.v1.RuntimeService/Version'));
    const second = encode(request('/runtime.v1.RuntimeService/Status')); // mostly indexed references now
    expect(second.length).toBeLessThan(first.length);
    const data = frame(0x0, 0x1, 1, Buffer.from([0, 0, 0, 0, 0]));
    // the second block split over HEADERS (padded, with priority) + CONTINUATION, delivered byte by byte
    const headers = Buffer.concat([Buffer.from([3]), Buffer.from([0x80, 0, 0, 0, 16]), second.subarray(0, 4), Buffer.alloc(3)]);
    const out = await rewrite([PREFACE, frame(0x4, 0, 0, Buffer.alloc(0)), frame(0x1, 0x4, 1, first), data,
      ...[...frame(0x1, 0x8 | 0x20, 3, headers), ...frame(0x9, 0x4, 3, second.subarray(4))].map((b) => Buffer.from([b]))]);

    expect(out.subarray(0, PREFACE.length)).toEqual(PREFACE);
    const frames = parse(out.subarray(PREFACE.length));
    expect(frames.map((f) => [f.type, f.flags, f.streamId])).toEqual([[0x4, 0, 0], [0x1, 0x4, 1], [0x0, 0x1, 1], [0x1, 0x4 | 0x20, 3]]);
    expect(frames[2]!.payload).toEqual(Buffer.from([0, 0, 0, 0, 0]));
    expect(frames[3]!.payload.subarray(0, 5)).toEqual(Buffer.from([0x80, 0, 0, 0, 16]));
    const server = hpack.decompressor.create({ table: { maxSize: 4096 } });
    const decode = (block: Buffer) => { server.write(block); server.execute(); const hs: { name: string; value: string }[] = []; for (let h = server.read(); h !== null; h = server.read()) hs.push({ name: h.name, value: h.value }); return hs; };
    const want = (path: string) => request(path).map((h) => (h.name === ':authority' ? { ...h, value: 'localhost' } : h));
    expect(decode(frames[1]!.payload)).toEqual(want('/runtime.v1.RuntimeService/Version'));
    expect(decode(frames[3]!.payload.subarray(5))).toEqual(want('/runtime.v1.RuntimeService/Status'));
  });

  it('keeps a valid authority, and splits a block larger than a frame into CONTINUATIONs', async () => {
    const headers = [{ name: ':authority', value: 'localhost:10250' }, { name: 'x-big', value: 'v'.repeat(20_000) }];
    const frames = parse((await rewrite([PREFACE, frame(0x1, 0x4 | 0x1, 1, encodeLiterals(headers))])).subarray(PREFACE.length));
    expect(frames.map((f) => [f.type, f.flags, f.payload.length])).toEqual([[0x1, 0x1, 16_384], [0x9, 0x4, encodeLiterals(headers).length - 16_384]]);
    const server = hpack.decompressor.create({ table: { maxSize: 4096 } });
    server.write(Buffer.concat(frames.map((f) => f.payload)));
    server.execute();
    expect(server.read()).toMatchObject({ name: ':authority', value: 'localhost:10250' });
  });

  it('fails the stream on a header block it cannot decode', async () => {
    await expect(rewrite([PREFACE, frame(0x1, 0x4, 1, Buffer.from([0x00, 0x7f]))])).rejects.toThrow(/decode header block/);
  });

  it('passes a stream that is not HTTP/2 through untouched', async () => {
    expect((await rewrite([Buffer.from('GET / HTTP/1.1\r\n'), Buffer.from('\r\n')])).toString()).toBe('GET / HTTP/1.1\r\n\r\n');
  });

  it('lets a Node HTTP/2 server answer a request whose :authority is a socket path', async () => {
    const h2 = createServer();
    h2.on('stream', (stream, headers) => { stream.respond({ ':status': 200 }); stream.end(String(headers[':authority'])); });
    // a TCP hop stands in for the unix socket: the server reads the client's bytes through the rewriter
    const tcp = createNetServer((sock: Socket) => {
      h2.emit('connection', Duplex.from({ readable: sock.pipe(new AuthorityRewriter()), writable: sock }));
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const { port } = tcp.address() as AddressInfo;
    const session = connect(`http://127.0.0.1:${port}`, { createConnection: () => createConnection({ host: '127.0.0.1', port }) });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = session.request({ ':method': 'GET', ':path': '/', ':authority': '/tmp/tk/cri.sock' });
        let b = '';
        req.on('data', (d: Buffer) => { b += d.toString(); });
        req.on('end', () => resolve(b));
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('localhost');
    } finally {
      session.destroy();
      tcp.close();
      h2.close();
    }
  });
});
