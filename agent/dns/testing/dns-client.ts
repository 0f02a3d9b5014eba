/** Test DNS client: one query over UDP or TCP with dns-packet, with a timeout (tests and e2e). */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { RECURSION_DESIRED, decode, encode } from 'dns-packet';
import type { DecodedPacket, RecordType } from 'dns-packet';

export type DnsAnswer = DecodedPacket & { rcode: string };

export function dnsQuery(name: string, type: RecordType, id = Math.floor(Math.random() * 65535)): Buffer {
  return encode({ type: 'query', id, flags: RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
}

export function queryUdp(server: { address: string; port: number }, name: string, type: RecordType = 'A', timeoutMs = 2000): Promise<DnsAnswer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => { sock.close(); reject(new Error(`dns ${name} ${type}: timeout`)); }, timeoutMs);
    sock.on('error', (err) => { clearTimeout(timer); sock.close(); reject(err); });
    sock.on('message', (msg) => { clearTimeout(timer); sock.close(); resolve(decode(msg) as DnsAnswer); });
    sock.send(dnsQuery(name, type), server.port, server.address);
  });
}

export function queryTcp(server: { address: string; port: number }, name: string, type: RecordType = 'A', timeoutMs = 2000): Promise<DnsAnswer> {
  return new Promise((resolve, reject) => {
    const sock = connect(server.port, server.address);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`dns ${name} ${type} (tcp): timeout`)); }, timeoutMs);
    let buf = Buffer.alloc(0);
    sock.on('error', (err) => { clearTimeout(timer); reject(err); });
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        clearTimeout(timer);
        sock.destroy();
        resolve(decode(buf.subarray(2, 2 + buf.readUInt16BE(0))) as DnsAnswer);
      }
    });
    const q = dnsQuery(name, type);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(q.length, 0);
    sock.write(Buffer.concat([len, q]));
  });
}
