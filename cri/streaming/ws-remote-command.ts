/**
 * exec/attach over WebSocket (`v4.channel.k8s.io`, else `channel.k8s.io`): frames demultiplexed
 * into stdout/stderr streams, the error channel collected, and the exit code read from it when
 * the server closes the connection (protocols.ts). stdin writes go to channel 0; ending stdin
 * cannot be told to the server in these subprotocols (only v5 has a close channel), so it only
 * stops further writes — the session ends when the process does.
 */
import { PassThrough, Writable } from 'node:stream';
import { CriError } from '../errors.js';
import type { AttachOptions, StreamSession } from '../types.js';
import type { StreamDialOptions } from './dial-options.js';
import { CHANNEL, WS_REMOTE_COMMAND_PROTOCOLS, decodeFrame, encodeFrame, hasJsonStatus, resizeMessage, sessionOutcome } from './protocols.js';
import { dialWebSocket } from './ws-dial.js';

export type RemoteCommandFlags = AttachOptions;

export async function webSocketRemoteCommand(what: string, url: string, flags: RemoteCommandFlags, opts: StreamDialOptions = {}): Promise<StreamSession> {
  const { ws, listen } = await dialWebSocket(what, url, WS_REMOTE_COMMAND_PROTOCOLS, opts);
  const jsonStatus = hasJsonStatus(ws.protocol);
  const stdout = new PassThrough();
  const stderr = flags.stderr ? new PassThrough() : undefined;
  const errorChannel: Buffer[] = [];
  let paused = 0;
  const onDrain = () => { if (--paused === 0) ws.resume(); };
  const deliver = (to: PassThrough | undefined, payload: Buffer) => {
    if (!to || payload.length === 0) return;
    if (!to.write(payload)) { if (paused++ === 0) ws.pause(); to.once('drain', onDrain); }
  };
  let transportError: Error | undefined;
  let ended: (() => void) | undefined;
  const exitCode = new Promise<number>((resolve, reject) => {
    ended = () => {
      stdout.end();
      stderr?.end();
      const errorBytes = Buffer.concat(errorChannel);
      if (errorBytes.length === 0 && transportError) {
        reject(new CriError('Unavailable', `${what}: connection failed: ${transportError.message}`, { cause: transportError }));
        return;
      }
      const outcome = sessionOutcome(errorBytes, jsonStatus);
      if ('exitCode' in outcome) resolve(outcome.exitCode);
      else reject(new CriError('Unknown', `${what}: ${outcome.failure}`));
    };
  });
  listen({
    message(data) {
      const f = decodeFrame(data);
      if (!f) return;
      if (f.channel === CHANNEL.stdout) deliver(stdout, f.payload);
      else if (f.channel === CHANNEL.stderr) deliver(stderr, f.payload);
      else if (f.channel === CHANNEL.error) errorChannel.push(Buffer.from(f.payload));
    },
    error(err) { transportError = err; },
    close() { ended?.(); },
  });
  const send = (channel: number, payload: Buffer | string, cb?: (err?: Error) => void) => {
    if (ws.readyState !== ws.OPEN) { cb?.(); return; } // the session is over: what is left to write is dropped
    ws.send(encodeFrame(channel, payload), { binary: true }, cb);
  };
  const stdin = flags.stdin
    ? new Writable({ write: (chunk: Buffer, _enc, cb) => send(CHANNEL.stdin, chunk, (err) => cb(err ?? null)), final: (cb) => cb() })
    : undefined;
  stdin?.on('error', () => undefined); // a write after the connection broke: the exit code reports the failure
  return {
    ...(stdin ? { stdin } : {}),
    stdout,
    ...(stderr ? { stderr } : {}),
    resize: (size) => send(CHANNEL.resize, resizeMessage(size)),
    exitCode,
  };
}
