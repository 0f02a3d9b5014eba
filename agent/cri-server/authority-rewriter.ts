/**
 * grpc-go before 1.5x over a unix socket (crictl and critest v1.26.1 use 1.51) sends the socket's
 * path as the HTTP/2 `:authority`. Node's HTTP/2 server (nghttp2) refuses that value ('/' may not
 * appear in an authority) and resets every stream with PROTOCOL_ERROR, so the CRI server puts
 * this transform on the client→server bytes of each connection: it decodes every header block
 * (HPACK, keeping the client's dynamic table), replaces an `:authority` nghttp2 would refuse with
 * "localhost" (what newer clients send for unix sockets), and re-encodes the block as literals
 * without indexing, so the server's decoder never needs the client's table. Every other frame
 * passes through untouched, and the server→client direction is not touched at all.
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import hpack from 'hpack.js';
import type { Decompressor, HpackHeader } from 'hpack.js';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const FRAME_HEADER = 9;
const TYPE_HEADERS = 0x1;
const TYPE_CONTINUATION = 0x9;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
/** SETTINGS_MAX_FRAME_SIZE's initial value: what every HTTP/2 server takes. */
const MAX_FRAME = 16_384;
/** SETTINGS_HEADER_TABLE_SIZE's default: Node's server announces no other. */
const HEADER_TABLE_SIZE = 4096;
/** The characters nghttp2 allows in an authority (RFC 3986 reg-name, userinfo, port, IP literal). */
const VALID_AUTHORITY = /^[A-Za-z0-9\-._~%!$&'()*+,;=:@[\]]+$/;
export const UNIX_AUTHORITY = 'localhost';

/** An HPACK integer with an N-bit prefix whose high bits are `flags`. */
function hpackInt(value: number, prefixBits: number, flags = 0): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [flags | value];
  const out = [flags | max];
  let rest = value - max;
  while (rest >= 128) { out.push((rest % 128) | 0x80); rest = Math.floor(rest / 128); }
  out.push(rest);
  return out;
}

const hpackString = (s: string): Buffer => {
  const bytes = Buffer.from(s, 'latin1');
  return Buffer.concat([Buffer.from(hpackInt(bytes.length, 7)), bytes]);
};

/** PURE. The headers as "literal header field without indexing — new name" representations. */
export function encodeLiterals(headers: readonly { name: string; value: string }[]): Buffer {
  return Buffer.concat(headers.flatMap((h) => [Buffer.from([0x00]), hpackString(h.name), hpackString(h.value)]));
}

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(FRAME_HEADER);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

interface PendingBlock { streamId: number; flags: number; priority: Buffer; fragments: Buffer[] }

export class AuthorityRewriter extends Transform {
  #buf: Buffer = Buffer.alloc(0);
  #prefaceSeen = false;
  /** Not HTTP/2 after all: bytes pass through, and the server refuses them. */
  #passThrough = false;
  #pending: PendingBlock | undefined;
  readonly #decoder: Decompressor = hpack.decompressor.create({ table: { maxSize: HEADER_TABLE_SIZE } });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#passThrough) { callback(null, chunk); return; }
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    try {
      this.#drain();
      callback();
    } catch (err) {
      callback(err instanceof Error ? err : new Error(String(err)));
    }
  }

  #drain(): void {
    if (!this.#prefaceSeen) {
      if (this.#buf.length < PREFACE.length) {
        if (PREFACE.subarray(0, this.#buf.length).equals(this.#buf)) return;
      } else if (this.#buf.subarray(0, PREFACE.length).equals(PREFACE)) {
        this.#prefaceSeen = true;
        this.push(PREFACE);
        this.#buf = this.#buf.subarray(PREFACE.length);
      }
      if (!this.#prefaceSeen) { this.#passThrough = true; this.push(this.#buf); this.#buf = Buffer.alloc(0); return; }
    }
    while (this.#buf.length >= FRAME_HEADER) {
      const length = this.#buf.readUIntBE(0, 3);
      if (this.#buf.length < FRAME_HEADER + length) return;
      const f = this.#buf.subarray(0, FRAME_HEADER + length);
      this.#buf = this.#buf.subarray(FRAME_HEADER + length);
      this.#onFrame(f[3]!, f[4]!, f.readUInt32BE(5) & 0x7fffffff, f.subarray(FRAME_HEADER));
    }
  }

  #onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (type === TYPE_HEADERS) {
      let p = payload;
      let pad = 0;
      if (flags & PADDED) { pad = p[0] ?? 0; p = p.subarray(1); }
      const priority = flags & PRIORITY ? p.subarray(0, 5) : Buffer.alloc(0);
      p = p.subarray(priority.length, p.length - pad);
      this.#pending = { streamId, flags, priority, fragments: [p] };
    } else if (type === TYPE_CONTINUATION && this.#pending) {
      this.#pending.fragments.push(payload);
    } else {
      this.push(frame(type, flags, streamId, payload));
      return;
    }
    if (flags & END_HEADERS) this.#emitBlock(this.#pending);
  }

  #emitBlock(b: PendingBlock): void {
    this.#pending = undefined;
    const headers = this.#decode(Buffer.concat(b.fragments)).map((h) => (
      h.name === ':authority' && !VALID_AUTHORITY.test(h.value) ? { name: h.name, value: UNIX_AUTHORITY } : h));
    const block = encodeLiterals(headers);
    const first = MAX_FRAME - b.priority.length;
    const flags = (b.flags & (END_STREAM | PRIORITY)) | (block.length <= first ? END_HEADERS : 0);
    this.push(frame(TYPE_HEADERS, flags, b.streamId, Buffer.concat([b.priority, block.subarray(0, first)])));
    for (let off = first; off < block.length; off += MAX_FRAME) {
      const end = Math.min(off + MAX_FRAME, block.length);
      this.push(frame(TYPE_CONTINUATION, end === block.length ? END_HEADERS : 0, b.streamId, block.subarray(off, end)));
    }
  }

  #decode(block: Buffer): HpackHeader[] {
    let failure: unknown;
    const onError = (err: unknown) => { failure = err; };
    this.#decoder.once('error', onError);
    this.#decoder.write(block);
    this.#decoder.execute();
    this.#decoder.off('error', onError);
    if (failure !== undefined) throw new Error(`decode header block: ${failure instanceof Error ? failure.message : String(failure)}`, { cause: failure });
    const out: HpackHeader[] = [];
    for (let h = this.#decoder.read(); h !== null; h = this.#decoder.read()) out.push(h);
    return out;
  }
}
