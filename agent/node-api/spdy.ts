/**
 * SPDY/3.1 on a hijacked socket (kubectl's port-forward, and its exec fallback): answer the
 * upgrade with a raw 101, then run spdy-transport as the server side. spdy-transport's parser
 * insists on HTTP `:method`/`:path` headers that Kubernetes' SPDY streams never carry, so this
 * connection's parser fills them in (kubectl-surface.md §3.14).
 */
import type { Duplex } from 'node:stream';
import spdy from 'spdy-transport';
import type { SpdyConnection, SpdyStream } from 'spdy-transport';

export type { SpdyConnection, SpdyStream };

type KvCallback = (err: Error | null, headers?: Record<string, string>) => void;
interface PatchableParser { parseKVs(buffer: unknown, callback: KvCallback): void }

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

/** A SPDY/3.1 session on an already-upgraded socket (both ends; tests use the client side). */
export function startSpdySession(socket: Duplex, opts: { isServer: boolean }): SpdyConnection {
  const conn = spdy.connection.create(socket, { protocol: 'spdy', isServer: opts.isServer });
  const state = (conn as unknown as { _spdyState: { parser: PatchableParser } })._spdyState;
  const parser = state.parser;
  const parseKVs = parser.parseKVs.bind(parser);
  parser.parseKVs = (buffer, callback) => parseKVs(buffer, (err, headers) => {
    if (!err && headers) {
      headers[':method'] ??= 'POST';
      headers[':path'] ??= '/';
    }
    callback(err, headers);
  });
  // A GOAWAY or a dropped socket fails the open streams with 'error'; their handlers see 'close'
  // as well, so the error itself needs no more than a listener.
  conn.on('stream', (stream: SpdyStream) => { stream.on('error', () => undefined); });
  conn.start(3.1);
  return conn;
}

/**
 * SYN_REPLY: the client waits for it before using a stream. Resolves once the frame is queued
 * (header compression is asynchronous: data written before that could overtake the reply).
 */
export function replyToStream(stream: SpdyStream): Promise<void> {
  return new Promise((resolve) => stream.respond(200, {}, () => resolve()));
}
