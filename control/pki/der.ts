/**
 * The few DER (X.690) encodings a PKCS#10 request needs, so a node can make one with node:crypto
 * alone: the agent never loads the X.509 library (and its ASN.1 stack) for its one request at join.
 * Definite lengths only; every function returns the whole TLV.
 */
import { isIP } from 'node:net';

/** PURE. A TLV with the given tag byte. */
export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(0x30, ...items);
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, ...items);
export const utf8String = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
export const octetString = (b: Uint8Array): Buffer => tlv(0x04, b);
/** A BIT STRING with no unused bits. */
export const bitString = (b: Uint8Array): Buffer => tlv(0x03, Buffer.from([0]), b);
/** A small non-negative INTEGER. */
export function smallInteger(v: number): Buffer {
  if (!Number.isInteger(v) || v < 0 || v > 127) throw new RangeError(`DER INTEGER out of range: ${v}`);
  return tlv(0x02, Buffer.from([v]));
}

/** PURE. An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [a = NaN, b = NaN, ...rest] = arcs;
  if (arcs.some((x) => !Number.isSafeInteger(x) || x < 0) || a > 2 || (a < 2 && b > 39)) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [40 * a + b, ...rest]) {
    const group: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) group.unshift((v & 0x7f) | 0x80);
    out.push(...group);
  }
  return tlv(0x06, Buffer.from(out));
}

/** PURE. A GeneralName for a SAN: dNSName [2] (IA5) or iPAddress [7] (4 or 16 octets). */
export function generalName(san: { type: 'dns' | 'ip'; value: string }): Buffer {
  if (san.type === 'dns') {
    if (!/^[\x21-\x7e]+$/.test(san.value)) throw new RangeError(`bad DNS name ${JSON.stringify(san.value)}`);
    return tlv(0x82, Buffer.from(san.value, 'ascii'));
  }
  const family = isIP(san.value);
  if (family === 4) return tlv(0x87, Buffer.from(san.value.split('.').map(Number)));
  if (family === 6) return tlv(0x87, ipv6Bytes(san.value));
  throw new RangeError(`bad IP address ${JSON.stringify(san.value)}`);
}

/** PURE. The 16 octets of a valid IPv6 address (text form checked by isIP). */
function ipv6Bytes(text: string): Buffer {
  let s = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (v4?.[1]) {
    const o = v4[1].split('.').map(Number);
    tail = [((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0)];
    s = s.slice(0, -v4[1].length).replace(/:$/, s.endsWith('::' + v4[1]) ? ':' : '');
  }
  const [head = '', rest] = s.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const front = parse(head);
  const back = [...(rest === undefined ? [] : parse(rest)), ...tail];
  const words = rest === undefined ? [...front, ...back] : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  const out = Buffer.alloc(16);
  words.forEach((w, i) => out.writeUInt16BE(w, i * 2));
  return out;
}
