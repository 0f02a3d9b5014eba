/**
 * Serves a DnsHandler on UDP and TCP (RFC 1035 §4.2.2 length-prefixed messages) at one address,
 * until the signal aborts. Binding is retried (the DNS address may appear on `lo` only after node
 * setup, or another process may still hold the port).
 */
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { Logger } from 'pino';
import { sleep } from '../../control/util/abort.js';
import type { DnsHandler } from './dns-handler.js';

export interface ListenAddress { address: string; port: number }

export interface ServeDnsOptions {
  handler: DnsHandler;
  listen: ListenAddress;
  /** Also serve TCP (default true). */
  tcp?: boolean;
  log: Logger;
  /** Called once both sockets listen, with the bound port (useful with port 0). */
  onListening?(bound: ListenAddress): void;
}

const MAX_TCP_IDLE_MS = 10_000;

export async function serveDns(o: ServeDnsOptions, signal: AbortSignal): Promise<void> {
  let delay = 200;
  while (!signal.aborted) {
    let udp: UdpSocket | undefined;
    let tcp: Server | undefined;
    try {
      udp = await bindUdp(o.listen);
      const port = udp.address().port;
      if (o.tcp ?? true) tcp = await listenTcp({ address: o.listen.address, port }, o.handler, o.log);
      udp.on('message', (msg, rinfo) => {
        void o.handler(msg, 'udp').then((answer) => {
          if (answer && !signal.aborted) udp?.send(answer, rinfo.port, rinfo.address);
        }, (err: unknown) => o.log.warn({ err }, 'Failed to answer DNS query'));
      });
      udp.on('error', (err) => o.log.warn({ err }, 'DNS socket failed'));
      o.log.info({ address: o.listen.address, port }, 'Serving cluster DNS');
      o.onListening?.({ address: o.listen.address, port });
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve(); else signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } catch (err) {
      if (signal.aborted) break;
      o.log.warn({ err, address: o.listen.address, port: o.listen.port, retryMs: delay }, 'Failed to listen for DNS; retrying');
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 10_000);
    } finally {
      udp?.close();
      await new Promise<void>((resolve) => { if (tcp) tcp.close(() => resolve()); else resolve(); });
    }
  }
}

function bindUdp(l: ListenAddress): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type: 'udp4' });
    s.once('error', (err) => { s.close(); reject(err); });
    s.bind(l.port, l.address, () => { s.removeAllListeners('error'); resolve(s); });
  });
}

function listenTcp(l: ListenAddress, handler: DnsHandler, log: Logger): Promise<Server> {
  const conns = new Set<Socket>();
  const server = createServer((sock) => {
    conns.add(sock);
    sock.setTimeout(MAX_TCP_IDLE_MS, () => sock.destroy());
    sock.on('close', () => conns.delete(sock));
    sock.on('error', () => sock.destroy());
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void handler(Buffer.from(msg), 'tcp').then((answer) => {
          if (!answer || sock.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(answer.length, 0);
          sock.write(Buffer.concat([len, answer]));
        }, (err: unknown) => log.warn({ err }, 'Failed to answer DNS query'));
      }
    });
  });
  const close = server.close.bind(server);
  server.close = (cb?: (err?: Error) => void) => { for (const c of conns) c.destroy(); return close(cb); };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(l.port, l.address, () => { server.removeListener('error', reject); resolve(server); });
  });
}
