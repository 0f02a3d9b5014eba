/**
 * exec/attach over SPDY/3.1 (kubectl's fallback, and what kubectl ≤ 1.29 uses first), remote
 * command protocols v1–v4 (stream-protocols.ts): the client opens one stream per `streamtype`
 * (error, stdin, stdout, stderr, and from v3 on resize); we SYN_REPLY each, start once every
 * expected stream exists, and finish by writing the status to `error` (v4: the Status JSON;
 * older: a failure's message, nothing on success) and ending the streams.
 */
import type { Logger } from 'pino';
import type { StreamSession } from '../../cri/types.js';
import { errorStatus, failureStatus } from './exec-status.js';
import { parseResize, pumpSession } from './session-pump.js';
import { replyToStream } from './spdy.js';
import type { SpdyConnection, SpdyStream } from './spdy.js';
import { statusPayload } from './stream-protocols.js';
import type { SpdyExecProtocol } from './stream-protocols.js';

export const STREAM_WAIT_MS = 30_000;
export const CLOSE_GRACE_MS = 10_000;

export interface StreamFlags { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }

/** The stream types the client will open for these flags (upstream's expected-stream count); resize only from v3 on. */
export function expectedStreams(f: StreamFlags, resize = true): string[] {
  return ['error', ...(f.stdin ? ['stdin'] : []), ...(f.stdout ? ['stdout'] : []),
    ...(f.stderr && !f.tty ? ['stderr'] : []), ...(f.tty && resize ? ['resize'] : [])];
}

export async function serveSpdyExec(
  conn: SpdyConnection, protocol: SpdyExecProtocol, flags: StreamFlags, start: () => Promise<StreamSession>, log: Logger,
): Promise<void> {
  const streams = new Map<string, SpdyStream>();
  const want = expectedStreams(flags, protocol.resize);
  const ready = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), STREAM_WAIT_MS);
    const replied = new Set<string>();
    conn.on('stream', (stream: SpdyStream) => {
      const type = stream.headers['streamtype'] ?? '';
      streams.set(type, stream);
      void replyToStream(stream).then(() => {
        replied.add(type);
        if (want.every((t) => replied.has(t))) { clearTimeout(timer); resolve(true); }
      });
    });
    conn.once('close', () => { clearTimeout(timer); resolve(false); });
  });
  conn.on('error', (err: unknown) => log.debug({ err }, 'SPDY exec connection failed'));

  if (!(await ready)) {
    const error = streams.get('error');
    if (error) error.end(statusPayload(failureStatus('timed out waiting for client to create streams'), protocol.jsonStatus));
    conn.end();
    return;
  }
  let status;
  try {
    const session = await start();
    const stdin = streams.get('stdin');
    if (stdin && session.stdin) stdin.pipe(session.stdin);
    else stdin?.resume();
    const resize = protocol.resize ? streams.get('resize') : undefined;
    resize?.on('data', (chunk: Buffer) => { for (const size of parseResize(chunk.toString())) session.resize?.(size); });
    const stdout = streams.get('stdout');
    const stderr = streams.get('stderr');
    status = await pumpSession(session, { stdout: (b) => stdout?.write(b), stderr: (b) => stderr?.write(b) });
  } catch (err) {
    status = errorStatus(err);
  }
  const error = streams.get('error');
  const payload = statusPayload(status, protocol.jsonStatus);
  if (payload !== undefined) error?.end(payload); else error?.end();
  for (const [type, stream] of streams) if (type !== 'error' && type !== 'stdin' && type !== 'resize') stream.end();
  // The client closes the connection once it has read everything (a GOAWAY now could overtake
  // frames still being compressed); a client that never does is cut off after a grace period.
  const timer = setTimeout(() => conn.end(), CLOSE_GRACE_MS);
  timer.unref();
  conn.once('close', () => clearTimeout(timer));
}
