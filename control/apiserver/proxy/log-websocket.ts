/**
 * pods/log over a WebSocket, as upstream's log REST serves it when the GET is an upgrade: the
 * kubelet's stream is sent in frames, binary with the subprotocol `binary.k8s.io` (or none), base64
 * text with `base64.binary.k8s.io`; the socket closes normally when the log ends. The `ws` module
 * is imported at the first such request.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { ApiError, internalError } from '../../api/status.js';

/** Subprotocols in upstream's order of preference; true = binary frames. */
const PROTOCOLS: ReadonlyMap<string, boolean> = new Map([['binary.k8s.io', true], ['base64.binary.k8s.io', false]]);

/** PURE. The subprotocol chosen among those offered (false: none, which means binary frames). */
export function chooseLogProtocol(offered: Iterable<string>): string | false {
  const set = new Set(offered);
  for (const p of PROTOCOLS.keys()) if (set.has(p)) return p;
  return false;
}

let server: Promise<WebSocketServer> | undefined;
const websocketServer = (): Promise<WebSocketServer> =>
  (server ??= import('ws').then(({ WebSocketServer: Wss }) => new Wss({ noServer: true, handleProtocols: (offered) => chooseLogProtocol(offered) })));

/** The kubelet's answer when it is not a log stream: its Status (or a generic one) as an ApiError. */
async function failureOf(res: IncomingMessage): Promise<ApiError> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  try {
    const status = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { kind?: string; code?: number };
    if (status.kind === 'Status' && typeof status.code === 'number') return new ApiError(status as ApiError['status']);
  } catch { /* not a Status */ }
  return internalError(`the node answered ${res.statusCode ?? 'nothing'} for the log`);
}

/**
 * Answers the upgrade with the log stream `upstream` (already opened at the kubelet). Throws an
 * ApiError before the handshake when the kubelet refused (the caller writes it on the socket).
 */
export async function serveLogWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer,
  upstream: { res: IncomingMessage; abort(): void }): Promise<void> {
  if (upstream.res.statusCode !== 200) throw await failureOf(upstream.res);
  const wss = await websocketServer();
  const ws = await new Promise<WebSocket>((resolve) => wss.handleUpgrade(req, socket, head, resolve));
  const binary = ws.protocol === '' || PROTOCOLS.get(ws.protocol) === true;
  const { res } = upstream;
  ws.once('close', () => upstream.abort());
  ws.once('error', () => upstream.abort());
  res.on('data', (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    if (binary) ws.send(chunk, { binary: true });
    else ws.send(chunk.toString('base64'));
  });
  res.once('end', () => ws.close(1000));
  res.once('error', () => ws.close(1011));
}
