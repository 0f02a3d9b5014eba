/**
 * port-forward over SPDY/3.1 (`portforward.k8s.io`): per local connection kubectl opens an `error`
 * stream and a `data` stream with the same `requestid` and `port` headers. Every stream gets a
 * SYN_REPLY; each data stream is piped to a fresh connection to the port inside the pod, and a
 * failure is written as text to the paired error stream.
 */
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { replyToStream } from './spdy.js';
import type { SpdyConnection, SpdyStream } from './spdy.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

export interface PortForwardOptions {
  /** `namespace/name` of the pod, for messages. */
  pod: string;
  podUid?: string;
  dial(port: number): Promise<Duplex>;
  log: Logger;
}

interface Pair { error?: SpdyStream; data?: SpdyStream; failure?: string }

export function servePortForward(conn: SpdyConnection, opts: PortForwardOptions): void {
  const pairs = new Map<string, Pair>();
  const fail = (pair: Pair, message: string) => {
    if (pair.error) pair.error.end(message);
    else pair.failure = message;
    pair.data?.end();
  };
  conn.on('error', (err: unknown) => opts.log.debug({ err }, 'SPDY port-forward connection failed'));
  conn.on('stream', (stream: SpdyStream) => {
    const replied = replyToStream(stream);
    const type = stream.headers['streamtype'];
    const requestId = stream.headers['requestid'] ?? '';
    const portText = stream.headers['port'] ?? '';
    const pair = pairs.get(requestId) ?? {};
    pairs.set(requestId, pair);
    stream.on('error', (err: unknown) => opts.log.debug({ err, requestId }, 'Port-forward stream failed'));
    stream.once('close', () => { if (pair.data === stream || pair.error === stream) pairs.delete(requestId); });
    if (type === 'error') {
      pair.error = stream;
      stream.resume();
      if (pair.failure !== undefined) void replied.then(() => stream.end(pair.failure));
      return;
    }
    if (type !== 'data') { stream.abort(); return; }
    pair.data = stream;
    const port = Number(portText);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      fail(pair, `invalid port ${JSON.stringify(portText)}`);
      return;
    }
    // data written before the SYN_REPLY is queued could overtake it
    Promise.all([opts.dial(port), replied]).then(([target]) => {
      if (stream.destroyed) { target.destroy(); return; }
      target.on('error', (err: Error) => fail(pair, forwardError(opts, port, err)));
      stream.pipe(target);
      target.pipe(stream);
      // the stream closes when both sides are done, or when the SPDY connection goes away
      stream.once('close', () => target.destroy());
    }, (err: unknown) => fail(pair, forwardError(opts, port, err)));
  });
}

/** The message a failed forward writes to its error stream (upstream's words). */
export function forwardError(opts: Pick<PortForwardOptions, 'pod' | 'podUid'>, port: number, err: unknown): string {
  const why = err instanceof Error ? err.message : String(err);
  return `error forwarding port ${port} to pod ${opts.pod}, uid ${opts.podUid ?? ''}: ${why}`;
}
