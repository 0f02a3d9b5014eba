/**
 * A SPDY/3.1 session (spdy-transport) on an already-upgraded socket, either end. Kubernetes'
 * SPDY frames carry no HTTP pseudo-headers, which spdy-transport insists on, so this connection's
 * parser fills them in: `:method`/`:path` (a SYN_STREAM without them is refused) and `:status`
 * (a SYN_REPLY without it makes the client reset the stream: the server then reads EOF on it,
 * which lost stdin written after the reply). Shared by the streaming client (cri/streaming)
 * and the node API's server side (agent/node-api).
 */
import type { Duplex } from 'node:stream';
import spdy from 'spdy-transport';
import type { SpdyConnection, SpdyStream } from 'spdy-transport';

export type { SpdyConnection, SpdyStream };

type KvCallback = (err: Error | null, headers?: Record<string, string>) => void;
interface PatchableParser { parseKVs(buffer: unknown, callback: KvCallback): void }

export function startSpdySession(socket: Duplex, opts: { isServer: boolean }): SpdyConnection {
  const conn = spdy.connection.create(socket, { protocol: 'spdy', isServer: opts.isServer });
  const state = (conn as unknown as { _spdyState: { parser: PatchableParser } })._spdyState;
  const parser = state.parser;
  const parseKVs = parser.parseKVs.bind(parser);
  parser.parseKVs = (buffer, callback) => parseKVs(buffer, (err, headers) => {
    if (!err && headers) {
      headers[':method'] ??= 'POST';
      headers[':path'] ??= '/';
      headers[':status'] ??= '200';
    }
    callback(err, headers);
  });
  // A GOAWAY or a dropped socket fails the open streams with 'error'; their handlers see 'close'
  // as well, so the error itself needs no more than a listener.
  conn.on('stream', (stream: SpdyStream) => { stream.on('error', () => undefined); });
  conn.start(3.1);
  return conn;
}
