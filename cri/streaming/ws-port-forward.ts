/**
 * port-forward over WebSocket (`v4.channel.k8s.io`, the port in `?port=N`): one connection per
 * forwarded connection. Channel 0 carries the data both ways, channel 1 a failure's text; each
 * starts with the port (2 bytes, little-endian), which is checked and dropped. The returned
 * Duplex ends when the server closes (the pod's end hung up), and fails with the error channel's
 * text if there is one. WebSocket has no half-close: ending the writable side sends nothing, and
 * the connection goes when the readable side has ended or the Duplex is destroyed.
 */
import { Duplex } from 'node:stream';
import { CriError } from '../errors.js';
import type { StreamDialOptions } from './dial-options.js';
import { WS_PORT_FORWARD_PROTOCOL, decodeFrame, encodeFrame } from './protocols.js';
import { dialWebSocket } from './ws-dial.js';

const DATA = 0;
const ERROR = 1;

export async function webSocketPortForward(what: string, url: string, port: number, opts: StreamDialOptions = {}): Promise<Duplex> {
  const u = new URL(url);
  u.searchParams.append('port', String(port));
  const { ws, listen } = await dialWebSocket(what, u, [WS_PORT_FORWARD_PROTOCOL], opts);
  const prefixPending = new Set([DATA, ERROR]);
  const errorText: Buffer[] = [];
  const duplex = new Duplex({
    allowHalfOpen: false,
    read() { ws.resume(); },
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) { cb(new CriError('Unavailable', `${what}: connection closed`)); return; }
      ws.send(encodeFrame(DATA, chunk), { binary: true }, (err) => cb(err ?? null));
    },
    final(cb) { cb(); },
    destroy(err, cb) {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000);
      cb(err);
    },
  });
  listen({
    message(data) {
      const f = decodeFrame(data);
      if (!f) return;
      let payload = f.payload;
      if (prefixPending.delete(f.channel)) {
        if (payload.length < 2 || payload.readUInt16LE(0) !== port) {
          duplex.destroy(new CriError('Unknown', `${what}: channel ${f.channel} did not start with port ${port}`));
          return;
        }
        payload = payload.subarray(2);
      }
      if (payload.length === 0) return;
      if (f.channel === DATA) { if (!duplex.push(payload)) ws.pause(); } else if (f.channel === ERROR) errorText.push(Buffer.from(payload));
    },
    error(err) { if (!duplex.destroyed) duplex.destroy(new CriError('Unavailable', `${what}: ${err.message}`, { cause: err })); },
    close() {
      const text = Buffer.concat(errorText).toString('utf8');
      if (text) duplex.destroy(new CriError('Unknown', `${what}: ${text}`));
      else duplex.push(null);
    },
  });
  return duplex;
}
