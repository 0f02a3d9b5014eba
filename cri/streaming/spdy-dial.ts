/**
 * Upgrades an HTTP connection to a streaming URL to SPDY/3.1 (kubectl's and crictl's way):
 * POST with `Upgrade: SPDY/3.1` and one `X-Stream-Protocol-Version` header per protocol offered
 * (Go servers read the header's values, not a comma list), then a client SPDY session on the
 * socket. Resolves with the session and the protocol the server picked.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { StreamDialOptions } from './dial-options.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from './dial-options.js';
import { startSpdySession } from './spdy-session.js';
import type { SpdyConnection, SpdyStream } from './spdy-session.js';
import { connectError, readRefusal } from './upgrade-errors.js';
import { CriError } from '../errors.js';

export interface SpdyDialed { conn: SpdyConnection; socket: Duplex; protocol: string }

export function dialSpdy(what: string, url: string | URL, protocols: readonly string[], opts: StreamDialOptions = {}): Promise<SpdyDialed> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(u, {
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': [...protocols] },
      ...(opts.ca === undefined ? {} : { ca: opts.ca }),
    });
    const timer = setTimeout(() => req.destroy(new CriError('DeadlineExceeded', `${what}: no upgrade within ${opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS} ms`)),
      opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS);
    req.once('upgrade', (res: IncomingMessage, socket: Duplex, head: Buffer) => {
      clearTimeout(timer);
      if (head.length > 0) socket.unshift(head);
      socket.on('error', () => undefined); // a dropped connection ends the session's streams, which report it
      const picked = res.headers['x-stream-protocol-version'];
      const protocol = (Array.isArray(picked) ? picked[0] : picked) ?? '';
      if (!protocols.includes(protocol)) {
        socket.destroy();
        reject(new CriError('InvalidArgument', `${what}: server picked protocol "${protocol}", offered ${protocols.join(', ')}`));
        return;
      }
      resolve({ conn: startSpdySession(socket, { isServer: false }), socket, protocol });
    });
    req.once('response', (res: IncomingMessage) => {
      clearTimeout(timer);
      void readRefusal(what, res).then(reject);
    });
    req.once('error', (err) => { clearTimeout(timer); reject(connectError(what, err)); });
    req.end();
  });
}

/** Opens a stream with these headers (SYN_STREAM); resolves once it is sent. */
export function openSpdyStream(conn: SpdyConnection, headers: Record<string, string>): Promise<SpdyStream> {
  return new Promise((resolve, reject) => {
    const stream = conn.request({ method: 'POST', path: '/', headers }, (err, s) => (err ? reject(err) : resolve(s)));
    // A connection the server drops fails every open stream with 'error' (spdy-transport's
    // destroyStreams); without a listener that is an uncaught exception in the caller's process
    // (the agent died after `kubectl exec -i` on containerd). The session's end reports it.
    stream.on('error', () => undefined);
  });
}
