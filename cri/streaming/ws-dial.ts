/**
 * Opens a WebSocket to a streaming URL (http→ws, https→wss), offering `protocols`; resolves once
 * it is open with the subprotocol the server picked ('' for none). Refusals and connection
 * failures are CriErrors (upgrade-errors.ts).
 *
 * Frames can arrive, and the connection can even close, before the caller's continuation runs
 * (the socket flows on a tick that precedes promise callbacks), so messages, errors and the
 * close are queued from the moment it opens until the caller listen()s.
 */
import { WebSocket } from 'ws';
import type { StreamDialOptions } from './dial-options.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from './dial-options.js';
import { connectError, readRefusal } from './upgrade-errors.js';

export interface WsHandlers { message(data: Buffer): void; error(err: Error): void; close(): void }

export interface DialedWebSocket {
  ws: WebSocket;
  /** Sets the handlers, first replaying what arrived since the connection opened. Once. */
  listen(handlers: WsHandlers): void;
}

export function webSocketUrl(url: string | URL): string {
  const u = new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.toString();
}

const toBuffer = (data: Buffer | ArrayBuffer | Buffer[]): Buffer =>
  (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

export function dialWebSocket(what: string, url: string | URL, protocols: readonly string[], opts: StreamDialOptions = {}): Promise<DialedWebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(webSocketUrl(url), [...protocols], {
      handshakeTimeout: opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      ...(opts.ca === undefined ? {} : { ca: opts.ca }),
      perMessageDeflate: false,
    });
    const onError = (err: Error) => { ws.off('open', onOpen); reject(connectError(what, err)); };
    const onOpen = () => {
      ws.off('error', onError);
      let handlers: WsHandlers | undefined;
      const queued: ((h: WsHandlers) => void)[] = [];
      const deliver = (f: (h: WsHandlers) => void) => { if (handlers) f(handlers); else queued.push(f); };
      ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => { const b = toBuffer(data); deliver((h) => h.message(b)); });
      ws.on('error', (err: Error) => deliver((h) => h.error(err)));
      ws.once('close', () => deliver((h) => h.close()));
      resolve({
        ws,
        listen(h) {
          handlers = h;
          for (const f of queued.splice(0)) f(h);
        },
      });
    };
    ws.once('open', onOpen);
    ws.once('error', onError);
    ws.once('unexpected-response', (_req, res) => {
      ws.off('error', onError);
      ws.on('error', () => undefined); // the refusal below is the error; ws reports the aborted request too
      void readRefusal(what, res).then((err) => { ws.terminate(); reject(err); });
    });
  });
}
