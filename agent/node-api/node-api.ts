/**
 * The node API (the kubelet's :10250): HTTPS, and only the API server's kubelet-client
 * certificate (signed by the cluster CA, CN kube-apiserver-kubelet-client) gets in. Logs are plain
 * HTTP; exec/attach speak WebSocket (v5, v4, and the older channel.k8s.io subprotocols) or SPDY/3.1
 * (remote command v4 to v1); port-forward speaks SPDY/3.1 only (a WebSocket attempt gets a 400 so
 * kubectl falls back).
 */
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { RuntimeService, StreamSession } from '../../cri/types.js';
import type { PodLookup } from '../types.js';
import { realpath } from 'node:fs/promises';
import { serveContainerLogs } from './container-logs.js';
import { HOST_LOG_DIR, parseLogPath, serveHostLogs } from './host-logs.js';
import type { ApiError } from '../../control/api/status.js';
import { badRequest, forbidden, genericFailure, methodNotAllowed, notFoundMessage, pathNotFound, unauthorized } from '../../control/api/status.js';
import { writeRawStatus, writeStatus } from './http-status.js';
import { logRequestOf, parseNodeApiPath, streamRequestOf } from './node-api-path.js';
import type { StreamUpgrader } from './stream-upgrade.js';
import type { NodeApiTarget } from './node-api-path.js';

/** The only client the node API serves (upstream's --kubelet-client-certificate convention). */
export const APISERVER_CLIENT_CN = 'kube-apiserver-kubelet-client';

export interface NodeApiOptions {
  host: string;
  /** 10250 in production; 0 picks a free port (tests). */
  port: number;
  tls: { cert: string; key: string; ca: string };
  runtime: Pick<RuntimeService, 'containerLogs' | 'exec' | 'attach' | 'portForward'>;
  pods: PodLookup;
  log: Logger;
  now?: () => Date;
  /** The directory GET /logs/ serves (default /var/log, the host's: the agent shares the host's filesystem). */
  logDir?: string;
  /** Prometheus text for GET /metrics (the kubelet serves its metrics on this port too). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

export interface NodeApi { readonly port: number; close(): Promise<void> }

/** undefined when the client may proceed; else the refusal (401 no valid cert, 403 wrong user). */
export function checkClient(req: IncomingMessage): ApiError | undefined {
  const sock = req.socket as TLSSocket;
  if (!sock.authorized) return unauthorized();
  const cn = sock.getPeerCertificate().subject?.CN;
  const user = Array.isArray(cn) ? cn[0] : cn;
  if (user === APISERVER_CLIENT_CN) return undefined;
  // the subresource the kubelet names for the path (upstream server auth: /logs is nodes/log, /metrics nodes/metrics)
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const sub = parseLogPath(path) ? 'log' : path === '/metrics' ? 'metrics' : 'proxy';
  return forbidden(`Forbidden (user=${user ?? ''}, verb=${(req.method ?? 'get').toLowerCase()}, resource=nodes, subresource=${sub})`);
}

const containerNotFound = (t: NodeApiTarget) => notFoundMessage(`container not found ("${t.container ?? ''}") in pod "${t.namespace}/${t.pod}"`);

export async function startNodeApi(opts: NodeApiOptions): Promise<NodeApi> {
  const log = opts.log;
  const now = opts.now ?? (() => new Date());
  // the WebSocket and SPDY servers are imported at the first exec, attach or port-forward
  let upgrading: Promise<StreamUpgrader> | undefined;
  const upgrader = (): Promise<StreamUpgrader> => (upgrading ??= import('./stream-upgrade.js').then((m) => new m.StreamUpgrader()));
  const logDir = await realpath(opts.logDir ?? HOST_LOG_DIR).catch(() => undefined); // the root itself is the operator's choice
  const server = createServer({ cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.ca, requestCert: true, rejectUnauthorized: false });

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refused = checkClient(req);
    if (refused) return writeStatus(res, refused);
    if (opts.metrics && (req.url ?? '').split('?')[0] === '/metrics' && req.method === 'GET') {
      const m = await opts.metrics();
      res.writeHead(200, { 'Content-Type': m.contentType });
      res.end(m.body);
      return;
    }
    const logPath = parseLogPath((req.url ?? '/').split('?')[0] ?? '/'); // raw: URL parsing would resolve `..` before it is seen
    if (logPath) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return writeStatus(res, methodNotAllowed(`method ${req.method ?? ''} not allowed`));
      if (!logDir) return writeStatus(res, pathNotFound());
      return serveHostLogs(req, res, logDir, logPath);
    }
    const target = parseNodeApiPath(req.url ?? '/');
    if (!target) return writeStatus(res, pathNotFound());
    if (target.endpoint !== 'containerLogs') return writeStatus(res, badRequest('Upgrade request required'));
    if (req.method !== 'GET') return writeStatus(res, methodNotAllowed(`method ${req.method ?? ''} not allowed`));
    const request = logRequestOf(target.query, now());
    const id = await opts.pods.containerId(target.namespace, target.pod, target.container ?? '', { previous: request.previous });
    if (!id) {
      const what = request.previous ? `previous terminated container "${target.container ?? ''}" in pod "${target.pod}" not found` : undefined;
      return writeStatus(res, what ? notFoundMessage(what) : containerNotFound(target));
    }
    const ac = new AbortController();
    res.once('close', () => ac.abort());
    await serveContainerLogs(res, { runtime: opts.runtime, containerId: id, request, signal: ac.signal });
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const refused = checkClient(req);
    if (refused) return writeRawStatus(socket, refused);
    const target = parseNodeApiPath(req.url ?? '/');
    if (!target || target.endpoint === 'containerLogs') return writeRawStatus(socket, pathNotFound());
    const pod = `${target.namespace}/${target.pod}`;
    const l = log.child({ pod, endpoint: target.endpoint });
    if (target.endpoint === 'portForward') {
      const sandboxId = await opts.pods.sandboxId(target.namespace, target.pod);
      if (!sandboxId) return writeRawStatus(socket, notFoundMessage(`pod "${pod}" does not exist`));
      // no webSocketPorts: a WebSocket attempt gets a 400, so kubectl falls back to SPDY
      await (await upgrader()).serve(req, socket, head, { kind: 'portForward', pod, dial: (port) => opts.runtime.portForward(sandboxId, port) }, l);
      return;
    }
    const id = await opts.pods.containerId(target.namespace, target.pod, target.container ?? '');
    if (!id) return writeRawStatus(socket, containerNotFound(target));
    const flags = streamRequestOf(target.query);
    const start = (): Promise<StreamSession> => (target.endpoint === 'exec'
      ? opts.runtime.exec(id, flags)
      : opts.runtime.attach(id, { tty: flags.tty, stdin: flags.stdin, stdout: flags.stdout, stderr: flags.stderr }));
    await (await upgrader()).serve(req, socket, head, { kind: target.endpoint, flags, start }, l);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'Node API request failed');
      writeStatus(res, genericFailure(500, err instanceof Error ? err.message : String(err)));
    });
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    socket.on('error', (err) => log.debug({ err }, 'Node API connection failed'));
    onUpgrade(req, socket, head).catch((err: unknown) => {
      log.error({ err, url: req.url }, 'Node API upgrade failed');
      if (socket.writable) writeRawStatus(socket, genericFailure(500, err instanceof Error ? err.message : String(err)));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ host: opts.host, port }, 'Node API started');
  return {
    port,
    async close() {
      if (upgrading) (await upgrading).close();
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
