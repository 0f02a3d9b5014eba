/**
 * port-forward over WebSocket, as upstream's CRI streaming server serves it: the ports are fixed
 * for the connection (the `port` query parameter, or the CRI request's ports), each port index i
 * gets a data channel 2i (both ways) and an error channel 2i+1 (to the client), and the first
 * frame on each of them carries the port as an unsigned 16-bit little-endian number. One TCP
 * connection per port is dialled at once; bytes on channel 2i go to it and its bytes come back
 * on 2i; a failure is written as text on 2i+1. The connection closes (1000) once every port's
 * connection has ended, and a client closing it ends them all.
 *
 * Subprotocols: `v4.channel.k8s.io` (binary frames, first byte the channel),
 * `v4.base64.channel.k8s.io` (text frames: the channel as the character '0'+channel, then
 * base64), and no subprotocol at all (binary).
 */
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { forbidden } from '../../control/api/status.js';
import type { ApiError } from '../../control/api/status.js';
import { forwardError } from './spdy-port-forward.js';
import { frame, unframe } from './websocket-stream.js';

export interface WsPortForwardProtocol { name: string; binary: boolean }

export const WS_PORT_FORWARD_PROTOCOLS: readonly WsPortForwardProtocol[] = [
  { name: 'v4.channel.k8s.io', binary: true },
  { name: 'v4.base64.channel.k8s.io', binary: false },
];

/** The first offer we serve; binary framing when the client offered none; undefined when none matches. */
export function negotiateWsPortForwardProtocol(offered: readonly string[]): WsPortForwardProtocol | undefined {
  if (offered.length === 0) return { name: '', binary: true };
  for (const o of offered) {
    const p = WS_PORT_FORWARD_PROTOCOLS.find((x) => x.name === o);
    if (p) return p;
  }
  return undefined;
}

export function wsPortForwardRefusal(offered: readonly string[]): ApiError {
  return forbidden(`requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${WS_PORT_FORWARD_PROTOCOLS.map((p) => p.name).join(' ')}]`);
}

/**
 * The ports of `?port=80&port=8080,9090` (upstream's rules: repeatable, comma lists, 1–65535);
 * a string is the reason the query is refused.
 */
export function portsOfQuery(values: readonly string[]): number[] | string {
  const ports: number[] = [];
  for (const v of values) {
    if (v === '') return 'query parameter "port" cannot be empty';
    for (const p of v.split(',')) {
      if (!/^\d{1,5}$/.test(p) || Number(p) > 65535) return `unable to parse "${v}" as a port`;
      if (Number(p) < 1) return `port "${v}" must be > 0`;
      ports.push(Number(p));
    }
  }
  return ports;
}

export interface WsPortForwardOptions {
  pod: string;
  podUid?: string;
  ports: readonly number[];
  dial(port: number): Promise<Duplex>;
  log: Logger;
}

export async function serveWebSocketPortForward(ws: WebSocket, protocol: WsPortForwardProtocol, opts: WsPortForwardOptions): Promise<void> {
  const send = (channel: number, payload: Buffer | string) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(channel, payload, protocol.binary), { binary: protocol.binary });
  };
  const targets: (Duplex | undefined)[] = opts.ports.map(() => undefined);
  const early: Buffer[][] = opts.ports.map(() => []); // client bytes that arrive before the dial completes
  let closed = false;
  const wsClosed = new Promise<void>((resolve) => ws.once('close', () => {
    closed = true;
    for (const t of targets) t?.destroy();
    resolve();
  }));
  ws.on('error', (err) => opts.log.debug({ err }, 'WebSocket port-forward failed'));
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const msg = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const m = unframe(msg, protocol.binary);
    if (!m || m.channel % 2 !== 0) return; // error channels carry nothing from the client
    const i = m.channel / 2;
    if (i >= opts.ports.length) return;
    const t = targets[i];
    if (t) t.write(m.payload); else early[i]?.push(m.payload);
  });

  opts.ports.forEach((port, i) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(port);
    send(2 * i, b);
    send(2 * i + 1, b);
  });
  const forwards = opts.ports.map((port, i) => forwardOne(port, i));
  async function forwardOne(port: number, i: number): Promise<void> {
    let target: Duplex;
    try {
      target = await opts.dial(port);
    } catch (err) {
      send(2 * i + 1, forwardError(opts, port, err));
      return;
    }
    if (closed) { target.destroy(); return; }
    targets[i] = target;
    for (const b of early[i]?.splice(0) ?? []) target.write(b);
    await new Promise<void>((resolve) => {
      target.on('data', (chunk: Buffer) => send(2 * i, chunk));
      target.once('error', (err) => send(2 * i + 1, forwardError(opts, port, err)));
      target.once('close', () => resolve());
      target.once('end', () => target.end());
    });
  }
  await Promise.all(forwards);
  if (ws.readyState === ws.OPEN) ws.close(1000);
  await wsClosed;
}
