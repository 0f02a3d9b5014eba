/**
 * exec/attach over SPDY/3.1 (remote command v4, v3 or v2, the server's pick): one stream per
 * `streamtype` — error, then stdin, stdout, stderr (not with a TTY) and resize (TTY, v3+), as
 * kubectl opens them. Ending stdin half-closes its stream, which the process sees as EOF. The
 * exit code comes from the error stream once it and the outputs have ended (or the connection
 * dropped); then the connection is closed.
 */
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { CriError } from '../errors.js';
import type { StreamSession } from '../types.js';
import type { StreamDialOptions } from './dial-options.js';
import { SPDY_REMOTE_COMMAND_PROTOCOLS, hasJsonStatus, hasResize, resizeMessage, sessionOutcome } from './protocols.js';
import { dialSpdy, openSpdyStream } from './spdy-dial.js';
import type { RemoteCommandFlags } from './ws-remote-command.js';

/** Resolves when the stream has ended or closed (a dropped connection closes it). */
const ended = (s: Readable): Promise<void> => new Promise((resolve) => {
  if (s.readableEnded || s.destroyed) { resolve(); return; }
  s.once('end', () => resolve());
  s.once('close', () => resolve());
});

export async function spdyRemoteCommand(what: string, url: string, flags: RemoteCommandFlags, opts: StreamDialOptions = {}): Promise<StreamSession> {
  const { conn, socket, protocol } = await dialSpdy(what, url, SPDY_REMOTE_COMMAND_PROTOCOLS, opts);
  let dropped = false;
  socket.once('close', () => { dropped = true; });
  conn.on('error', () => undefined); // the streams and the exit code report a broken session
  try {
    const error = await openSpdyStream(conn, { streamtype: 'error' });
    const stdinStream = flags.stdin ? await openSpdyStream(conn, { streamtype: 'stdin' }) : undefined;
    const outStream = flags.stdout ? await openSpdyStream(conn, { streamtype: 'stdout' }) : undefined;
    const errStream = flags.stderr && !flags.tty ? await openSpdyStream(conn, { streamtype: 'stderr' }) : undefined;
    const resizeStream = flags.tty && hasResize(protocol) ? await openSpdyStream(conn, { streamtype: 'resize' }) : undefined;

    // Outputs are handed on through PassThroughs, which end also when the connection drops.
    const relay = (s: Readable | undefined): PassThrough | undefined => {
      if (!s) return undefined;
      const out = new PassThrough();
      s.pipe(out, { end: false });
      void ended(s).then(() => out.end());
      return out;
    };
    const stdout = relay(outStream) ?? new PassThrough().end();
    const stderr = relay(errStream);
    const errorBytes: Buffer[] = [];
    error.on('data', (c: Buffer) => errorBytes.push(c));

    const exitCode = (async () => {
      await Promise.all([error, outStream, errStream].map((s) => (s ? ended(s) : undefined)));
      conn.end();
      socket.destroy();
      const bytes = Buffer.concat(errorBytes);
      if (bytes.length === 0 && dropped && !error.readableEnded) throw new CriError('Unavailable', `${what}: connection closed before the session ended`);
      const outcome = sessionOutcome(bytes, hasJsonStatus(protocol));
      if ('failure' in outcome) throw new CriError('Unknown', `${what}: ${outcome.failure}`);
      return outcome.exitCode;
    })();
    stdinStream?.on('error', () => undefined); // writing after the session ended: the exit code tells
    return {
      ...(stdinStream ? { stdin: stdinStream } : {}),
      stdout,
      ...(stderr ? { stderr } : {}),
      resize: (size) => { if (resizeStream?.writable) resizeStream.write(resizeMessage(size)); },
      exitCode,
    };
  } catch (err) {
    socket.destroy();
    throw new CriError('Unavailable', `${what}: open streams: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
