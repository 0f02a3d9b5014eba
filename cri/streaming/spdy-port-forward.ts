/**
 * port-forward over SPDY/3.1 (`portforward.k8s.io`, what kubectl and crictl speak): an `error`
 * stream (which we never write to, so it is half-closed at once) and a `data` stream, both with
 * the `port` and a `requestid` header. The returned Duplex relays the data stream: ending it
 * half-closes the forwarded connection; text on the error stream destroys it with a CriError
 * carrying that text (spdy-transport's own destroy never emits 'error', hence the relay); the
 * SPDY connection goes when the Duplex closes.
 */
import { Duplex } from 'node:stream';
import { CriError } from '../errors.js';
import type { StreamDialOptions } from './dial-options.js';
import { SPDY_PORT_FORWARD_PROTOCOL } from './protocols.js';
import { dialSpdy, openSpdyStream } from './spdy-dial.js';

/** How long the end of the data stream waits for the error stream's end. */
const ERROR_GRACE_MS = 250;

export async function spdyPortForward(what: string, url: string, port: number, opts: StreamDialOptions = {}): Promise<Duplex> {
  const { conn, socket } = await dialSpdy(what, url, [SPDY_PORT_FORWARD_PROTOCOL], opts);
  conn.on('error', () => undefined); // the relay reports a broken connection
  const headers = { port: String(port), requestid: '0' };
  let error;
  let data;
  try {
    error = await openSpdyStream(conn, { ...headers, streamtype: 'error' });
    error.end();
    data = await openSpdyStream(conn, { ...headers, streamtype: 'data' });
  } catch (err) {
    socket.destroy();
    throw new CriError('Unavailable', `${what}: open streams: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const stream = data;
  const relay = new Duplex({
    read() { stream.resume(); },
    write(chunk: Buffer, _enc, cb) { stream.write(chunk, (err?: Error | null) => cb(err ?? null)); },
    final(cb) { stream.end(); cb(); },
    destroy(err, cb) {
      stream.destroy();
      conn.end();
      socket.destroy();
      cb(err);
    },
  });
  const errorText: Buffer[] = [];
  const failure = (): CriError | undefined => {
    const text = Buffer.concat(errorText).toString('utf8');
    return text ? new CriError('Unknown', `${what}: ${text}`) : undefined;
  };
  error.on('data', (c: Buffer) => errorText.push(c));
  error.once('end', () => { const f = failure(); if (f && !relay.destroyed) relay.destroy(f); });
  error.resume();
  // The data stream's end, its reset, or the connection going: the end of what the pod's side
  // sends, or a failure if the error stream says so. The server writes the error before it ends
  // the data stream, but the two streams' ends can reach us in either order: a data end waits
  // (briefly, as our own server leaves the error stream open on success) for the error stream.
  let errorDone = false;
  let eof = false;
  const settle = () => {
    const f = failure();
    if (f) { if (!relay.destroyed) relay.destroy(f); return; }
    if (!eof) { eof = true; relay.push(null); }
  };
  const endOfData = () => {
    if (errorDone) { settle(); return; }
    const timer = setTimeout(settle, ERROR_GRACE_MS);
    error.once('close', () => { clearTimeout(timer); settle(); });
  };
  error.once('close', () => { errorDone = true; });
  stream.on('data', (c: Buffer) => { if (!relay.push(c)) stream.pause(); });
  stream.on('error', () => undefined); // a reset stream closes too: endOfData
  stream.once('end', endOfData);
  stream.once('close', endOfData);
  socket.once('close', () => { errorDone = true; settle(); });
  return relay;
}
