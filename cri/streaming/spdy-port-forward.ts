/**
 * port-forward over SPDY/3.1 (`portforward.k8s.io`, what kubectl and crictl speak): an `error`
 * stream (which we never write to, so it is half-closed at once) and a `data` stream, both with
 * the `port` and a `requestid` header. The data stream is the returned Duplex (ending it
 * half-closes the forwarded connection); text on the error stream destroys it with that text,
 * and the SPDY connection goes when the data stream closes.
 */
import type { Duplex } from 'node:stream';
import { CriError } from '../errors.js';
import type { StreamDialOptions } from './dial-options.js';
import { SPDY_PORT_FORWARD_PROTOCOL } from './protocols.js';
import { dialSpdy, openSpdyStream } from './spdy-dial.js';

export async function spdyPortForward(what: string, url: string, port: number, opts: StreamDialOptions = {}): Promise<Duplex> {
  const { conn, socket } = await dialSpdy(what, url, [SPDY_PORT_FORWARD_PROTOCOL], opts);
  conn.on('error', () => undefined); // the data stream reports a broken connection
  const headers = { port: String(port), requestid: '0' };
  try {
    const error = await openSpdyStream(conn, { ...headers, streamtype: 'error' });
    error.end();
    const data = await openSpdyStream(conn, { ...headers, streamtype: 'data' });
    const errorText: Buffer[] = [];
    error.on('data', (c: Buffer) => errorText.push(c));
    error.once('end', () => {
      const text = Buffer.concat(errorText).toString('utf8');
      if (text && !data.destroyed) data.destroy(new CriError('Unknown', `${what}: ${text}`));
    });
    data.once('close', () => { conn.end(); socket.destroy(); });
    socket.once('close', () => { if (!data.destroyed) data.destroy(); });
    return data;
  } catch (err) {
    socket.destroy();
    throw new CriError('Unavailable', `${what}: open streams: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
