/**
 * exec/attach over WebSocket in every subprotocol upstream's kubelet serves (stream-protocols.ts):
 * frames whose first byte is the channel — 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize,
 * 255 close (v5 only: payload is the channel being closed; [255,0] = stdin EOF) — raw in binary
 * frames, or an ASCII digit and base64 in text frames for the `base64.` subprotocols. An empty
 * frame on the lowest output channel tells the client the session is up; the session ends with
 * its status on channel 3 (as the protocol words it) and a close 1000.
 */
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { StreamSession } from '../../cri/types.js';
import { errorStatus } from './exec-status.js';
import { parseResize, pumpSession } from './session-pump.js';
import { CHANNEL as REMOTE_COMMAND_CHANNEL, decodeFrame, encodeFrame } from '../../cri/streaming/protocols.js';
import { statusPayload } from './stream-protocols.js';
import type { WsProtocol } from './stream-protocols.js';

/** The remote command channels (cri/streaming's, the client side's) plus v5's close channel. */
export const CHANNEL = { ...REMOTE_COMMAND_CHANNEL, close: 255 } as const;

/** The output channels the client asked for (the first one gets the "connected" empty frame). */
export interface WsOutputs { stdout: boolean; stderr: boolean }

/** One message in the protocol's framing. */
export function frame(channel: number, payload: Buffer | string, binary = true): Buffer | string {
  if (binary) return encodeFrame(channel, payload);
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return String.fromCharCode(0x30 + channel) + body.toString('base64');
}

/** A client message as channel and payload (base64 decoded for text protocols); undefined when empty or undecodable. */
export function unframe(msg: Buffer, binary: boolean): { channel: number; payload: Buffer } | undefined {
  if (binary) return decodeFrame(msg);
  if (msg.length === 0) return undefined;
  const text = msg.subarray(1).toString('latin1');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined; // upstream: "Unable to write frame", frame dropped
  return { channel: msg[0]! - 0x30, payload: Buffer.from(text, 'base64') };
}

export async function serveWebSocketStream(
  ws: WebSocket, protocol: WsProtocol, outputs: WsOutputs, start: () => Promise<StreamSession>, log: Logger,
): Promise<void> {
  let session: StreamSession | undefined;
  const pending: (Buffer | 'eof')[] = []; // what arrives before the session starts, in order
  let stdinClosed = false;
  const closeStdin = () => {
    if (!session) { pending.push('eof'); return; }
    if (stdinClosed) return;
    stdinClosed = true;
    session.stdin?.end();
  };
  const handle = (msg: Buffer | 'eof') => {
    if (!session) { pending.push(msg); return; }
    if (msg === 'eof') { closeStdin(); return; }
    const m = unframe(msg, protocol.binary);
    if (!m) return;
    if (m.channel === CHANNEL.stdin && !stdinClosed) session.stdin?.write(m.payload);
    else if (m.channel === CHANNEL.resize) for (const size of parseResize(m.payload.toString())) session.resize?.(size);
    else if (protocol.closeChannel && m.channel === CHANNEL.close && m.payload[0] === CHANNEL.stdin) closeStdin();
  };
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    handle(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => { closeStdin(); resolve(); }));
  ws.on('error', (err) => log.debug({ err }, 'WebSocket stream failed'));

  const send = (channel: number, payload: Buffer | string) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(channel, payload, protocol.binary), { binary: protocol.binary });
  };
  send(outputs.stdout ? CHANNEL.stdout : outputs.stderr ? CHANNEL.stderr : CHANNEL.error, '');
  let status;
  try {
    session = await start();
    for (const msg of pending.splice(0)) handle(msg);
    status = await pumpSession(session, { stdout: (b) => send(CHANNEL.stdout, b), stderr: (b) => send(CHANNEL.stderr, b) });
  } catch (err) {
    status = errorStatus(err);
  }
  const payload = statusPayload(status, protocol.jsonStatus);
  if (payload !== undefined) send(CHANNEL.error, payload);
  if (ws.readyState === ws.OPEN) ws.close(1000);
  await closed;
}
