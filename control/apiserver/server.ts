/**
 * buildApiServer: the API server as a fastify app (not listening). Features are plugins; errors
 * go through one handler; tests use inject() without sockets.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { pathNotFound, unauthorized } from '../api/status.js';
import type { Store } from '../store/types.js';
import { findResource } from '../api/resources.js';
import type { ResourceInfo } from '../api/resources.js';
import { systemClock } from '../util/clock.js';
import type { Clock } from '../util/clock.js';
import { ANONYMOUS, allowAll, hasCredentials } from './auth.js';
import type { Authenticator, UserInfo } from './auth.js';
import { createAuthorizer } from './authz/authorizer.js';
import type { Authorizer } from './authz/authorizer.js';
import { storeLookup } from './authz/object-lookup.js';
import { PolicyIndex } from './authz/rbac/policy-index.js';
import { watchPolicy } from './authz/rbac/policy-watch.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { distinctHeaders, impersonate } from './http/impersonation.js';
import { parseRequestInfo } from './http/request-info.js';
import type { RequestInfo } from './http/request-info.js';
import type { NodeProxy } from './proxy/node-proxy.js';
import type { ProtobufDecoder } from './http/body.js';
import { mediaType, PROTOBUF } from './http/body.js';
import { WatchLimiter } from './http/watch-limiter.js';
import type { WatchLimits } from './http/watch-limiter.js';
import type { Admission } from './registry/admission.js';
import { withNodeRestriction } from './authz/node-restriction-strategies.js';
import { withTokenRequestRestriction } from './authz/node-restriction-token.js';
import { ObjectStore } from './registry/object-store.js';
import { ResourceHandler } from './registry/resource-handler.js';
import type { Strategy } from './registry/strategy.js';
import { ApiExtensions } from './apiextensions/api-extensions.js';
import { WebhookDispatcher } from './admission-webhooks/webhook-dispatcher.js';
import { connectOptions } from './admission-webhooks/connect-options.js';
import { crdStrategy } from './apiextensions/crd-strategy.js';
import { registerDiscoveryRoutes } from './routes/discovery.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerOpenApiRoutes } from './routes/openapi.js';
import { registerResourceRoutes } from './routes/resources.js';
import type { CreateOnlyHandlers } from './routes/resources.js';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;
const PODS = findResource('', 'v1', 'pods') as ResourceInfo;

export interface ApiServerOptions {
  store: Store;
  log: Logger;
  admission: Admission;
  clock?: Clock;
  authenticator?: Authenticator;
  /** TLS material; without it the app speaks plain HTTP (unit tests). */
  https?: { key: string; cert: string; ca: string };
  strategies?: Record<string, Strategy>;
  protobuf?: ProtobufDecoder;
  /** host:port advertised in legacy /api discovery. */
  serverAddress?: () => string;
  /** Proxies pods/log|exec|attach|portforward to the node agents; built once the handler exists. */
  nodeProxy?: (handler: ResourceHandler) => NodeProxy;
  /** Caps on open watches (per user, total); those not given are DEFAULT_WATCH_LIMITS'. */
  watchLimits?: Partial<WatchLimits>;
  /** Reviews and POST-only subresources (serviceaccounts/token), built once the handler and authorizer exist. */
  createOnly?: (ctx: { handler: ResourceHandler; authorizer: Authorizer; authenticator: Authenticator }) => CreateOnlyHandlers;
  /** The RBAC objects in memory (the RBAC strategies read it too); the server keeps it level with the store. */
  policy?: PolicyIndex;
  /** Extra readiness check; a string names what is not ready. */
  ready?: () => Promise<string | undefined>;
}

export interface ApiServer { app: FastifyInstance; handler: ResourceHandler; metrics: Registry; extensions: ApiExtensions }

declare module 'fastify' {
  interface FastifyRequest {
    user?: UserInfo;
    /** Read once from the raw target in onRequest; the authorizer and the resource routes both use it. */
    requestInfo?: RequestInfo;
  }
}

export function buildApiServer(opts: ApiServerOptions): ApiServer {
  const clock = opts.clock ?? systemClock;
  const app = Fastify({
    loggerInstance: opts.log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    // the router's own refusals (a malformed %-escape in the path) are Status bodies too
    frameworkErrors: (err, req, reply) => { errorHandler(err, req, reply); },
    ...(opts.https ? { https: { ...opts.https, requestCert: true, rejectUnauthorized: false } } : {}),
  }) as unknown as FastifyInstance;

  const objects = new ObjectStore(opts.store);
  const lookup = storeLookup(objects);
  // CustomResourceDefinitions and the custom resources they define
  const extensions = new ApiExtensions({ objects, log: opts.log.child({ component: 'apiextensions' }) });
  const handler = new ResourceHandler({
    objects, admission: extensions.admission(opts.admission), clock,
    strategies: withNodeRestriction({ CustomResourceDefinition: crdStrategy(), ...(opts.strategies ?? {}) }, lookup),
    strategyFor: (ri) => extensions.strategyFor(ri),
    webhooks: new WebhookDispatcher({
      get: (ri, ns, name) => objects.tryGet(ri, ns, name), list: async (ri) => (await objects.list(ri, undefined)).items,
      log: opts.log.child({ component: 'admission-webhooks' }), applyDefaults: (kind, obj) => opts.admission.applyDefaults(kind, obj),
    }),
  });
  const policy = opts.policy ?? new PolicyIndex();
  const stopPolicy = new AbortController();
  const { synced } = watchPolicy({ objects, index: policy, log: opts.log.child({ component: 'rbac' }), signal: stopPolicy.signal });
  app.addHook('onClose', async () => { stopPolicy.abort(); });
  const stopExtensions = new AbortController();
  app.addHook('onClose', async () => { stopExtensions.abort(); });
  extensions.start(handler, stopExtensions.signal);
  const authorizer = createAuthorizer({ lookup, policy, synced });

  // Bodies stay raw bytes: the resource routes decode them by content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    const ready = mediaType(req.headers['content-type']) === PROTOBUF ? opts.protobuf?.ready : undefined;
    if (!ready) { done(null, body); return; }
    ready().then(() => done(null, body), (err: Error) => done(err));
  });

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const requests = new Counter({ name: 'apiserver_request_total', help: 'Requests by verb, resource and code', labelNames: ['verb', 'resource', 'code'], registers: [metrics] });
  const latency = new Histogram({
    name: 'apiserver_request_duration_seconds', help: 'Request latency by verb and resource', labelNames: ['verb', 'resource'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30], registers: [metrics],
  });

  const auth = opts.authenticator ?? allowAll;
  app.addHook('onRequest', async (req) => {
    const info = parseRequestInfo(req.method, req.raw.url ?? req.url);
    req.requestInfo = info;
    // no credentials at all is system:anonymous (a bad token or certificate is a 401), authorized like anyone
    const authenticated = (await auth.authenticate(req.raw)) ?? (hasCredentials(req.raw) ? undefined : ANONYMOUS);
    if (!authenticated) throw unauthorized();
    // Impersonate-* headers: who the request acts as, each part authorized for the one who asks
    const user = await impersonate(authenticated, distinctHeaders(req.raw), authorizer);
    const denied = await authorizer.authorize(user, info);
    if (denied) throw denied;
    if (info.kind === 'unparsable') throw pathNotFound(); // an admin's: nothing is served there
    req.user = user;
  });
  app.addHook('onResponse', async (req, reply) => {
    const resource = resourceLabel(req.url);
    const verb = req.method;
    requests.inc({ verb, resource, code: String(reply.statusCode) });
    latency.observe({ verb, resource }, reply.elapsedTime / 1000);
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  registerHealthRoutes(app, { registry: metrics, ready: opts.ready ?? (async () => undefined) });
  registerDiscoveryRoutes(app, { serverAddress: opts.serverAddress ?? (() => '127.0.0.1:6443'), extra: () => extensions.resources() });
  registerOpenApiRoutes(app, { extra: () => extensions.openapiDocuments() });
  const nodeProxy = opts.nodeProxy?.(handler);
  // Requests with `Connection: Upgrade` (exec/attach/portforward) arrive here, never at fastify's routes.
  if (nodeProxy) app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => nodeProxy.upgrade(req, socket, head, {
    authenticator: auth, authorizer,
    connect: async (c) => handler.validateByWebhooks({ ri: PODS, namespace: c.namespace, name: c.name, dryRun: false, fieldValidation: 'Ignore', warnings: [], user: c.user },
      'CONNECT', connectOptions(c.subresource, c.query), undefined, c.subresource),
  }));
  registerResourceRoutes(app, {
    handler, clock, protobuf: opts.protobuf, nodeProxy, watches: new WatchLimiter(opts.watchLimits),
    // a node's TokenRequest must be bound to a pod on that node (NodeRestriction), whoever supplies the handler
    dynamic: extensions.dynamic(),
    createOnly: withTokenRequestRestriction(opts.createOnly?.({ handler, authorizer, authenticator: auth }), lookup),
  });
  return { app, handler, metrics, extensions };
}

function resourceLabel(url: string): string {
  const p = (url.split('?')[0] ?? '').split('/').filter(Boolean);
  if (p[0] !== 'api' && p[0] !== 'apis') return p[0] ?? '';
  const rest = p[0] === 'api' ? p.slice(2) : p.slice(3);
  if (rest[0] === 'namespaces' && rest.length >= 3) return rest[2] ?? '';
  return rest[0] ?? '';
}
