/**
 * SPDY/3.1 on a hijacked socket (kubectl's port-forward, and its exec fallback): answer the
 * upgrade with a raw 101, then run spdy-transport as the server side (cri/streaming/spdy-session.ts,
 * which also fills in the HTTP headers Kubernetes' SPDY streams never carry: kubectl-surface.md §3.14).
 */
import type { Duplex } from 'node:stream';
import { startSpdySession } from '../../cri/streaming/spdy-session.js';
import type { SpdyConnection, SpdyStream } from '../../cri/streaming/spdy-session.js';

export { startSpdySession };
export type { SpdyConnection, SpdyStream };

/** Whether an upgrade request asks for SPDY/3.1. */
export function wantsSpdy(upgrade: string | undefined): boolean {
  return (upgrade ?? '').toLowerCase().split(',').some((p) => p.trim() === 'spdy/3.1');
}

/** Writes the 101 and starts a SPDY/3.1 server session on the socket. */
export function acceptSpdy(socket: Duplex, head: Buffer, protocol: string): SpdyConnection {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n'
    + `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  if (head.length > 0) socket.unshift(head);
  return startSpdySession(socket, { isServer: true });
}

/**
 * SYN_REPLY: the client waits for it before using a stream. Resolves once the frame is queued
 * (header compression is asynchronous: data written before that could overtake the reply).
 */
export function replyToStream(stream: SpdyStream): Promise<void> {
  return new Promise((resolve) => stream.respond(200, {}, () => resolve()));
}
