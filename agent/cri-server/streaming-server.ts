/**
 * The CRI streaming server (what cri-dockerd and containerd run beside their gRPC socket): plain
 * HTTP on the node's loopback, random port. Exec, Attach and PortForward answer with
 * `http://127.0.0.1:<port>/{exec,attach,portforward}/<token>`; the first upgrade request on that
 * URL consumes the token (stream-tokens.ts) and runs the session it describes over SPDY/3.1 (what
 * crictl and critest speak) or WebSocket (cri/streaming's client), through the node API's
 * StreamUpgrader. A WebSocket port-forward takes its ports from `?port=N` (repeatable), else the
 * CRI request's ports. Authorization: the loopback address and an unguessable single-use token.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { badRequest, genericFailure, notFoundMessage } from '../../control/api/status.js';
import type { RuntimeService } from '../../cri/types.js';
import { writeRawStatus, writeStatus } from '../node-api/http-status.js';
import { wantsSpdy } from '../node-api/spdy.js';
import { StreamUpgrader } from '../node-api/stream-upgrade.js';
import type { StreamTarget } from '../node-api/stream-upgrade.js';
import { portsOfQuery } from '../node-api/websocket-port-forward.js';
import { StreamTokens } from './stream-tokens.js';
import type { StreamRequest } from './stream-tokens.js';

export interface StreamingServerOptions {
  /** Default 127.0.0.1 (the node's loopback; in a `cluster up` node that is the node namespace's). */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  runtime: Pick<RuntimeService, 'exec' | 'attach' | 'portForward'>;
  log: Logger;
  tokens?: StreamTokens;
}

export interface StreamingServer {
  readonly port: number;
  /** Stores the request under a new token and returns its URL (TooManyInFlightError when full). */
  url(request: StreamRequest): string;
  close(): Promise<void>;
}

const PATH_OF: Record<StreamRequest['kind'], string> = { exec: 'exec', attach: 'attach', portForward: 'portforward' };
const tokenNotFound = () => notFoundMessage('token not found');

export async function startStreamingServer(opts: StreamingServerOptions): Promise<StreamingServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log;
  const tokens = opts.tokens ?? new StreamTokens();
  const upgrader = new StreamUpgrader();
  const server = createServer();

  /** The request behind a `/<kind>/<token>` path, consumed; undefined: no such path, token or kind. */
  const consume = (url: string | undefined): { request: StreamRequest; query: URLSearchParams } | undefined => {
    const u = new URL(url ?? '/', 'http://streaming');
    const m = /^\/(exec|attach|portforward)\/([A-Za-z0-9_-]+)$/.exec(u.pathname);
    if (!m) return undefined;
    const request = tokens.consume(m[2]!);
    if (!request || PATH_OF[request.kind] !== m[1]) return undefined;
    return { request, query: u.searchParams };
  };

  const targetOf = (req: IncomingMessage, request: StreamRequest, query: URLSearchParams): StreamTarget | string => {
    if (request.kind === 'portForward') {
      const id = request.podSandboxId;
      const target: StreamTarget = { kind: 'portForward', pod: id, dial: (port) => opts.runtime.portForward(id, port) };
      if (wantsSpdy(req.headers.upgrade)) return target; // SPDY names the port on each stream
      const fromQuery = portsOfQuery(query.getAll('port'));
      if (typeof fromQuery === 'string') return fromQuery;
      const ports = fromQuery.length > 0 ? fromQuery : request.ports;
      if (ports.length === 0) return 'query parameter "port" is required';
      return { ...target, webSocketPorts: ports };
    }
    const flags = { tty: request.tty, stdin: request.stdin, stdout: request.stdout, stderr: request.stderr };
    const id = request.containerId;
    const start = request.kind === 'exec'
      ? () => opts.runtime.exec(id, { ...flags, cmd: request.cmd })
      : () => opts.runtime.attach(id, flags);
    return { kind: request.kind, flags, start };
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const found = consume(req.url);
    if (!found) return writeRawStatus(socket, tokenNotFound());
    const target = targetOf(req, found.request, found.query);
    if (typeof target === 'string') return writeRawStatus(socket, badRequest(target));
    const l = log.child(found.request.kind === 'portForward'
      ? { endpoint: 'portForward', podSandboxId: found.request.podSandboxId.slice(0, 12) }
      : { endpoint: found.request.kind, containerId: found.request.containerId.slice(0, 12) });
    await upgrader.serve(req, socket, head, target, l);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // every session is an upgrade; a plain request still uses up its token, as upstream's does
    writeStatus(res, consume(req.url) ? badRequest('Upgrade request required') : tokenNotFound());
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    socket.on('error', (err) => log.debug({ err }, 'Streaming connection failed'));
    onUpgrade(req, socket, head).catch((err: unknown) => {
      log.error({ err }, 'Streaming upgrade failed');
      if (socket.writable) writeRawStatus(socket, genericFailure(500, err instanceof Error ? err.message : String(err)));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ host, port }, 'Started CRI streaming server');
  return {
    port,
    url: (request) => `${base}/${PATH_OF[request.kind]}/${tokens.insert(request)}`,
    async close() {
      upgrader.close();
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
