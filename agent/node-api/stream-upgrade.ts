/**
 * The upgrade half of exec/attach/port-forward, shared by the node API (:10250) and the CRI
 * streaming server (agent/cri-server): SPDY/3.1 or WebSocket by the request's Upgrade header, the
 * subprotocol negotiated, then the session run to its end. Callers have already authorised the
 * request and resolved what it targets (the node API from the URL's pod and container, the
 * streaming server from its token).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { badRequest } from '../../control/api/status.js';
import type { StreamSession } from '../../cri/types.js';
import { writeRawStatus } from './http-status.js';
import { serveSpdyExec } from './spdy-exec.js';
import type { StreamFlags } from './spdy-exec.js';
import { PORT_FORWARD_PROTOCOL, servePortForward } from './spdy-port-forward.js';
import { acceptSpdy, wantsSpdy } from './spdy.js';
import {
  SPDY_EXEC_PROTOCOLS, headerList, negotiateStreamProtocol, negotiateWsProtocol, spdyNegotiationRefusal, wsNegotiationRefusal,
} from './stream-protocols.js';
import { negotiateWsPortForwardProtocol, serveWebSocketPortForward, wsPortForwardRefusal } from './websocket-port-forward.js';
import { serveWebSocketStream } from './websocket-stream.js';

export type StreamTarget =
  | { kind: 'exec' | 'attach'; flags: StreamFlags; start: () => Promise<StreamSession> }
  | {
    kind: 'portForward';
    /** `namespace/name` (node API) or the sandbox id (CRI), for messages. */
    pod: string;
    podUid?: string;
    dial(port: number): Promise<Duplex>;
    /** The ports a WebSocket client forwards (one connection each); absent: WebSocket is refused (SPDY only). */
    webSocketPorts?: readonly number[];
  };

export class StreamUpgrader {
  readonly #execWss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => negotiateWsProtocol([...offered])?.name || false });
  readonly #portForwardWss = new WebSocketServer({
    noServer: true, handleProtocols: (offered) => negotiateWsPortForwardProtocol([...offered])?.name || false,
  });

  /** Answers the upgrade and serves the session; refusals are written as Status on the socket. */
  async serve(req: IncomingMessage, socket: Duplex, head: Buffer, target: StreamTarget, log: Logger): Promise<void> {
    const spdy = wantsSpdy(req.headers.upgrade);
    if (target.kind === 'portForward') {
      if (spdy) {
        const offered = headerList(req.headers['x-stream-protocol-version']);
        if (!negotiateStreamProtocol(offered, [PORT_FORWARD_PROTOCOL])) return writeRawStatus(socket, spdyNegotiationRefusal(offered, [PORT_FORWARD_PROTOCOL]));
        servePortForward(acceptSpdy(socket, head, PORT_FORWARD_PROTOCOL), { pod: target.pod, podUid: target.podUid, dial: target.dial, log });
        return;
      }
      const ports = target.webSocketPorts;
      if (ports === undefined) return writeRawStatus(socket, badRequest('port-forward requires an upgrade to SPDY/3.1'));
      const offered = headerList(req.headers['sec-websocket-protocol']);
      const protocol = negotiateWsPortForwardProtocol(offered);
      if (!protocol) return writeRawStatus(socket, wsPortForwardRefusal(offered));
      this.#portForwardWss.handleUpgrade(req, socket, head, (ws) => {
        serveWebSocketPortForward(ws, protocol, { pod: target.pod, podUid: target.podUid, ports, dial: target.dial, log })
          .catch((err: unknown) => log.warn({ err }, 'Port-forward session failed'));
      });
      return;
    }
    if (spdy) {
      const offered = headerList(req.headers['x-stream-protocol-version']);
      const protocol = negotiateStreamProtocol(offered, SPDY_EXEC_PROTOCOLS);
      if (!protocol) return writeRawStatus(socket, spdyNegotiationRefusal(offered, SPDY_EXEC_PROTOCOLS.map((p) => p.name)));
      await serveSpdyExec(acceptSpdy(socket, head, protocol.name), protocol, target.flags, target.start, log);
      return;
    }
    const offered = headerList(req.headers['sec-websocket-protocol']);
    const protocol = negotiateWsProtocol(offered);
    if (!protocol) return writeRawStatus(socket, wsNegotiationRefusal(offered));
    this.#execWss.handleUpgrade(req, socket, head, (ws) => {
      serveWebSocketStream(ws, protocol, target.flags, target.start, log).catch((err: unknown) => log.warn({ err }, 'Stream session failed'));
    });
  }

  /** Ends every WebSocket session (SPDY sessions end with their sockets, which the HTTP server owns). */
  close(): void {
    for (const wss of [this.#execWss, this.#portForwardWss]) {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    }
  }
}
