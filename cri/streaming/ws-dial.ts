/**
 * Opens a WebSocket to a streaming URL (http→ws, https→wss), offering `protocols`; resolves once
 * it is open with the subprotocol the server picked ('' for none). Refusals and connection
 * failures are CriErrors (upgrade-errors.ts).
 */
import { WebSocket } from 'ws';
import type { StreamDialOptions } from './dial-options.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from './dial-options.js';
import { connectError, readRefusal } from './upgrade-errors.js';

export function webSocketUrl(url: string | URL): string {
  const u = new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.toString();
}

export function dialWebSocket(what: string, url: string | URL, protocols: readonly string[], opts: StreamDialOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(webSocketUrl(url), [...protocols], {
      handshakeTimeout: opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      ...(opts.ca === undefined ? {} : { ca: opts.ca }),
      perMessageDeflate: false,
    });
    const onError = (err: Error) => { ws.off('open', onOpen); reject(connectError(what, err)); };
    const onOpen = () => { ws.off('error', onError); resolve(ws); };
    ws.once('open', onOpen);
    ws.once('error', onError);
    ws.once('unexpected-response', (_req, res) => {
      ws.off('error', onError);
      ws.on('error', () => undefined); // the refusal below is the error; ws reports the aborted request too
      void readRefusal(what, res).then((err) => { ws.terminate(); reject(err); });
    });
  });
}
