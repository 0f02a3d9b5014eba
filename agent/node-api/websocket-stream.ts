/**
 * exec/attach over WebSocket, `v5.channel.k8s.io` (kubectl ≥ 1.30's first choice): binary frames
 * whose first byte is the channel — 0 stdin, 1 stdout, 2 stderr, 3 status (JSON), 4 resize,
 * 255 close (v5: payload is the channel being closed; [255,0] = stdin EOF). The session ends
 * with its Status on channel 3 and a close 1000.
 */
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { StreamSession } from '../../cri/types.js';
import { errorStatus } from './exec-status.js';
import { parseResize, pumpSession } from './session-pump.js';

export const WS_V5 = 'v5.channel.k8s.io';
export const WS_V4 = 'v4.channel.k8s.io';
/** The subprotocols we accept, best first (v4 frames the same, without the close channel). */
export const WS_PROTOCOLS = [WS_V5, WS_V4] as const;

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** ws `handleProtocols`: the best of ours the client offered, or false (no subprotocol). */
export function chooseWsProtocol(offered: Set<string>): string | false {
  return WS_PROTOCOLS.find((p) => offered.has(p)) ?? false;
}

export function frame(channel: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from([channel]), body]);
}

export async function serveWebSocketStream(ws: WebSocket, start: () => Promise<StreamSession>, log: Logger): Promise<void> {
  let session: StreamSession | undefined;
  const pending: Buffer[] = [];
  let stdinClosed = false;
  const closeStdin = () => {
    if (stdinClosed) return;
    stdinClosed = true;
    session?.stdin?.end();
  };
  const STDIN_EOF = Buffer.from([CHANNEL.close, CHANNEL.stdin]);
  const handle = (msg: Buffer) => {
    if (!session) { pending.push(msg); return; }
    const channel = msg[0];
    const payload = msg.subarray(1);
    if (channel === CHANNEL.stdin && !stdinClosed) session.stdin?.write(payload);
    else if (channel === CHANNEL.resize) for (const size of parseResize(payload.toString())) session.resize?.(size);
    else if (channel === CHANNEL.close && payload[0] === CHANNEL.stdin) closeStdin();
  };
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    handle(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => { handle(STDIN_EOF); resolve(); }));
  ws.on('error', (err) => log.debug({ err }, 'WebSocket stream failed'));

  const send = (channel: number, payload: Buffer | string) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(channel, payload), { binary: true });
  };
  let status;
  try {
    session = await start();
    for (const msg of pending.splice(0)) handle(msg);
    status = await pumpSession(session, { stdout: (b) => send(CHANNEL.stdout, b), stderr: (b) => send(CHANNEL.stderr, b) });
  } catch (err) {
    status = errorStatus(err);
  }
  send(CHANNEL.error, JSON.stringify(status));
  if (ws.readyState === ws.OPEN) ws.close(1000);
  await closed;
}
