/**
 * The API server's way to the node agents: pods/log as a streamed proxy, and pods/exec|attach|
 * portforward as an upgrade-aware proxy. Node's HTTP server hands requests carrying
 * `Connection: Upgrade` to its 'upgrade' event (fastify never sees them), so `upgrade()` is
 * registered there: it authenticates like the request hook does and refuses with raw Status
 * answers. kubectl's WebSocket attempt at port-forward gets a 400, so kubectl falls back to SPDY.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { badRequest, internalError, isApiError, pathNotFound, unauthorized } from '../../api/status.js';
import { ANONYMOUS, hasCredentials } from '../auth.js';
import type { Authenticator, UserInfo } from '../auth.js';
import type { Authorizer } from '../authz/authorizer.js';
import { distinctHeaders, impersonate } from '../http/impersonation.js';
import { parseRequestInfo } from '../http/request-info.js';
import type { RequestInfo, ResourceRequestInfo } from '../http/request-info.js';
import { openKubeletLogs, pipeLogs } from './log-proxy.js';
import { serveLogWebSocket } from './log-websocket.js';
import { writeRawStatus } from './raw-status.js';
import { isStreamSubresource, resolveStreamTarget } from './stream-target.js';
import type { ObjectGetter } from './stream-target.js';
import { proxyUpgrade } from './upgrade-proxy.js';
import { isProxyableIPv4, isProxyResource, resolveProxyTarget } from './proxy-target.js';
import type { ProxyableAddress } from './proxy-target.js';
import { forwardRequest, proxiedPath, proxyPrefix } from './resource-proxy.js';

export interface NodeProxyOptions {
  objects: ObjectGetter;
  /** The API server's kubelet-client certificate (CN kube-apiserver-kubelet-client). */
  clientCert: { cert: string; key: string };
  /** The cluster CA the kubelets' serving certificates are checked against. */
  caCertPem: string;
  log: Logger;
  /** Which stored addresses pods/services/nodes proxy may reach; default isProxyableIPv4 (no loopback, no link-local). */
  proxyableAddress?: ProxyableAddress;
}

export interface NodeProxy {
  /**
   * GET pods/log: resolves the target and opens the kubelet's stream (an ApiError when that
   * fails, before anything is written), then returns the function that copies it to the client.
   */
  openLogs(namespace: string, name: string, query: URLSearchParams): Promise<(res: ServerResponse) => Promise<void>>;
  /** The server's 'upgrade' listener; `access` decides who may, like the request hook. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, access: RequestAccess): void;
  /** pods/proxy, services/proxy, nodes/proxy: forwards the (authorized) request and streams the answer into the reply. */
  proxy(info: ResourceRequestInfo, req: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

export interface RequestAccess {
  authenticator: Authenticator;
  authorizer: Authorizer;
  /** CONNECT admission (webhooks) of exec/attach/portforward; throws ApiError to refuse. */
  connect?: (c: { namespace: string; name: string; subresource: string; user: UserInfo; query: URLSearchParams }) => Promise<void>;
}

/** /api/v1/namespaces/{ns}/pods/{name}/{subresource}, nothing after. */
const isPodStream = (i: RequestInfo): i is ResourceRequestInfo & { namespace: string; name: string } =>
  i.kind === 'resource' && i.apiPrefix === 'api' && i.version === 'v1' && i.resource === 'pods' && i.namespacePrefix
  && i.namespace !== undefined && i.name !== undefined && i.parts.length === 3;

export function createNodeProxy(opts: NodeProxyOptions): NodeProxy {
  const tls = { ...opts.clientCert, ca: opts.caCertPem };
  const log = opts.log.child({ component: 'node-proxy' });

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer, access: RequestAccess): Promise<void> => {
    // as the request hook: no credentials at all is system:anonymous (RBAC refuses it), a bad one a 401
    const authenticated = (await access.authenticator.authenticate(req)) ?? (hasCredentials(req) ? undefined : ANONYMOUS);
    if (!authenticated) throw unauthorized();
    const user = await impersonate(authenticated, distinctHeaders(req), access.authorizer); // as the request hook does
    // one reading of the request for the authorizer and for what is proxied
    const info = parseRequestInfo(req.method ?? 'GET', req.url ?? '/');
    const denied = await access.authorizer.authorize(user, info);
    if (denied) throw denied;
    const sub = info.kind === 'resource' ? info.subresource : undefined;
    if (!isPodStream(info) || !isStreamSubresource(sub)) throw pathNotFound();
    const { namespace, name } = info;
    const query = new URL(req.url ?? '/', 'http://apiserver').searchParams;
    if (sub !== 'log') await access.connect?.({ namespace, name, subresource: sub, user, query });
    const target = await resolveStreamTarget(opts.objects, sub, namespace, name, query);
    if (sub === 'log') {
      if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw badRequest('pods/log upgrades only to a WebSocket');
      await serveLogWebSocket(req, socket, head, await openKubeletLogs(target, tls));
      log.debug({ pod: `${namespace}/${name}`, node: `${target.host}:${target.port}` }, 'Log stream over a WebSocket');
      return;
    }
    if (sub === 'portforward' && (req.headers.upgrade ?? '').toLowerCase() === 'websocket') {
      // kubectl tunnels SPDY inside WebSocket here; refusing makes it fall back to plain SPDY/3.1.
      throw badRequest('port-forward over WebSocket is not supported; use SPDY/3.1');
    }
    await proxyUpgrade(req, socket, head, target, tls);
    log.debug({ pod: `${namespace}/${name}`, sub, node: `${target.host}:${target.port}` }, 'Proxied stream to node');
  };

  return {
    async openLogs(namespace, name, query) {
      const target = await resolveStreamTarget(opts.objects, 'log', namespace, name, query);
      const upstream = await openKubeletLogs(target, tls);
      return (res) => pipeLogs(upstream, res);
    },
    async proxy(info, req, reply) {
      const namespaced = info.resource !== 'nodes';
      if (info.apiPrefix !== 'api' || info.version !== 'v1' || !isProxyResource(info.resource) || info.parts.length < 3
        || info.namespacePrefix !== namespaced || info.name === undefined) throw pathNotFound();
      const raw = req.raw.url ?? '';
      const q = raw.indexOf('?');
      const rawPath = q < 0 ? raw : raw.slice(0, q);
      const path = proxiedPath(info, rawPath.endsWith('/'));
      // upstream redirects an empty proxied path to the same path with a slash
      if (info.parts.length === 3 && !rawPath.endsWith('/')) return reply.code(301).header('Location', `${rawPath}/${q < 0 ? '' : raw.slice(q)}`).send();
      const target = await resolveProxyTarget(opts.objects, info.resource, info.namespace, info.name, opts.proxyableAddress ?? isProxyableIPv4);
      await forwardRequest(req, reply, target, path, proxyPrefix(info, rawPath), tls);
      return reply;
    },
    upgrade(req, socket, head, access) {
      socket.on('error', (err) => log.debug({ err }, 'Stream client connection failed'));
      upgrade(req, socket, head, access).catch((err: unknown) => {
        if (!isApiError(err)) log.error({ err, url: req.url }, 'Stream proxy failed');
        if (socket.writable) writeRawStatus(socket, isApiError(err) ? err : internalError());
      });
    },
  };
}
