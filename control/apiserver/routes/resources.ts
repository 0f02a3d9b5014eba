/**
 * The resource endpoints of every group: /api/v1/... and /apis/<group>/<version>/... dispatched by
 * verb and subresource onto the generic handler.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import { findResource, groupVersion, isCreateOnly } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { UserInfo } from '../auth.js';
import { methodNotAllowed, notAcceptable, pathNotFound, success } from '../../api/status.js';
import type { Clock } from '../../util/clock.js';
import { decodeObjectBody, decodePatchBody, patchTypeOf, toBuffer } from '../http/body.js';
import type { ProtobufDecoder } from '../http/body.js';
import { acceptsPlainObject, wantsTable } from '../http/negotiate.js';
import { warningHeaderValue } from '../http/warning-header.js';
import type { ResourceRequestInfo } from '../http/request-info.js';
import { resolveResourcePath } from '../http/request-path.js';
import type { ResourcePath } from '../http/request-path.js';
import { printTable } from '../printers/print-table.js';
import { tableWatchEvent } from '../printers/table-watch-event.js';
import { deleteObject } from '../registry/deleter.js';
import type { ResourceHandler, Scope } from '../registry/resource-handler.js';
import { listBody, listObjects } from './list.js';
import { applyPatch } from './patch.js';
import type { NodeProxy } from '../proxy/node-proxy.js';
import { bindPod, servePodStream } from './pod-subresources.js';
import { evictPod } from './pod-eviction.js';
import { checkCreateOnlyBody } from './create-only-body.js';
import { dryRunOf, fieldValidationOf, q, qBool, qInt } from './query.js';
import type { Query } from './query.js';
import { scaleOf, updateScale } from './scale.js';
import { checkWatchRequest, serveWatch } from './watch.js';
import { viewEdge } from './view-edge.js';
import type { ViewEdge } from './view-edge.js';
import type { Printer } from '../printers/printer.js';
import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import type { WatchLimiter } from '../http/watch-limiter.js';

export interface ResourceRoutesOptions {
  handler: ResourceHandler; clock: Clock; protobuf?: ProtobufDecoder; nodeProxy?: NodeProxy;
  /** Caps open watches per user and in total (429 beyond them). */
  watches?: WatchLimiter;
  /** The kinds that are answered, never stored (reviews), and POST-only subresources such as serviceaccounts/token. */
  createOnly?: CreateOnlyHandlers;
  /** Resources defined at run time (CustomResourceDefinitions). */
  dynamic?: DynamicResources;
}

/** What the routes need to serve resources defined at run time (control/apiserver/apiextensions). */
export interface DynamicResources {
  /** The resource at a path no built-in resource serves, or undefined. */
  find(group: string, version: string, resource: string): Promise<ResourceInfo | undefined>;
  /** Its HTTP edge (defaulting on read, patch types), or undefined for a built-in resource. */
  edge(ri: ResourceInfo, query: Query): ViewEdge | undefined;
  /** Its Table printer, or undefined for a built-in resource. */
  printer(ri: ResourceInfo): Printer | undefined;
  /** Its /scale subresource, or undefined when it has none. */
  scale(ri: ResourceInfo): { get(obj: KubeObject): Scale; update(h: ResourceHandler, scope: Scope, next: (cur: Scale) => unknown): Promise<Scale> } | undefined;
}

/** One POST that is answered at once: a review, a TokenRequest. The body is decoded but not yet validated. */
export interface CreateOnlyRequest {
  ri: ResourceInfo; user: UserInfo; namespace?: string; name?: string; subresource?: string;
  body: KubeObject; dryRun: boolean;
}
export type CreateOnlyHandler = (req: CreateOnlyRequest) => Promise<KubeObject>;
/** By `<group>/<resource>` (core: `/serviceaccounts/token`), with `/<subresource>` for a subresource. */
export type CreateOnlyHandlers = Readonly<Record<string, CreateOnlyHandler>>;
export const createOnlyKey = (ri: ResourceInfo, subresource?: string): string =>
  `${ri.group}/${ri.resource}${subresource ? `/${subresource}` : ''}`;

type Req = FastifyRequest<{ Querystring: Query }>;

export function registerResourceRoutes(app: FastifyInstance, opts: ResourceRoutesOptions): void {
  const h = opts.handler;
  // The request the authorizer decided on (server.ts reads it once, in onRequest), never the router's own reading of the URL.
  const dispatch = async (req: Req, reply: FastifyReply): Promise<unknown> => {
    const info = req.requestInfo;
    if (info?.kind !== 'resource') throw pathNotFound();
    if (info.subresource === 'proxy' && opts.nodeProxy) return opts.nodeProxy.proxy(info, req, reply);
    const dynamic = !findResource(info.group, info.version, info.resource) ? await opts.dynamic?.find(info.group, info.version, info.resource) : undefined;
    const requested = resolveResourcePath(info, dynamic);
    const edge = (dynamic && opts.dynamic?.edge(dynamic, info.query)) || viewEdge(requested.ri, info.query);
    const rp = { ...requested, ri: edge.ri };
    const query = edge.query;
    const scope: Scope = {
      ri: rp.ri, namespace: rp.namespace, name: rp.name, warnings: [],
      dryRun: dryRunOf(query), fieldValidation: fieldValidationOf(query), ...(req.user ? { user: req.user } : {}),
    };
    const result = edge.outbound(await route(rp, scope, { ...info, query }, req, reply, edge));
    if (scope.warnings.length > 0) reply.header('Warning', scope.warnings.map(warningHeaderValue));
    return result;
  };

  const route = async (rp: ResourcePath, scope: Scope, info: ResourceRequestInfo, req: Req, reply: FastifyReply, edge: ViewEdge): Promise<unknown> => {
    const { ri } = rp;
    const method = req.method;
    const query = info.query;
    const table = wantsTable(req.headers.accept);
    const now = opts.clock.now();
    const includeObject = (q(query, 'includeObject') as 'None' | 'Metadata' | 'Object' | undefined) ?? 'Metadata';
    const printer = opts.dynamic?.printer(ri);
    const asTable = (items: KubeObject[], rv?: string, cont?: string) =>
      printTable(ri.kind, printer ? items.map(edge.object) : items, { now: opts.clock.now(), includeObject, resourceVersion: rv, continueToken: cont, ...(printer ? { printer } : {}) });

    const createOnly = isCreateOnly(ri) ? opts.createOnly?.[createOnlyKey(ri)] : rp.subresource ? opts.createOnly?.[createOnlyKey(ri, rp.subresource)] : undefined;
    if (isCreateOnly(ri) || createOnly) {
      if (method !== 'POST' || !createOnly || (isCreateOnly(ri) && rp.name)) throw methodNotAllowed('the server does not allow this method on the requested resource');
      if (!acceptsPlainObject(req.headers.accept)) throw notAcceptable(); // these kinds have no Table form
      const body = decodeObjectBody(req.body, req.headers['content-type'], opts.protobuf);
      checkCreateOnlyBody(ri, rp.subresource, body);
      const answer = await createOnly({
        ri, user: req.user ?? { name: '', groups: [] }, namespace: rp.namespace, name: rp.name, subresource: rp.subresource, body, dryRun: scope.dryRun,
      });
      reply.code(201);
      return answer;
    }

    if (!rp.name) {
      if (method === 'GET') {
        if (info.verb === 'watch') {
          checkWatchRequest(ri.kind, query);
          const release = opts.watches?.acquire(req.user ?? { name: '', groups: [] });
          reply.hijack();
          try {
            await serveWatch({
              objects: h.objects, ri, namespace: rp.namespace, query, res: reply.raw, log: req.log as unknown as Logger,
              render: (type, obj, first) => (table
                ? tableWatchEvent(type as 'ADDED', ri.kind, printer ? edge.object(obj) : obj, { now: opts.clock.now(), includeObject, withColumns: first, ...(printer ? { printer } : {}) }).object
                : edge.object(obj)),
            });
          } finally {
            release?.();
          }
          return reply;
        }
        const res = await listObjects(h.objects, ri, rp.namespace, query);
        return table ? asTable(res.items, res.resourceVersion, res.continueToken) : listBody(ri, res);
      }
      if (method === 'POST') {
        const created = await h.create(scope, edge.inbound(decodeObjectBody(req.body, req.headers['content-type'], opts.protobuf)));
        reply.code(201);
        return created;
      }
      if (method === 'DELETE') {
        const res = await listObjects(h.objects, ri, rp.namespace, query);
        const options = deleteOptionsOf(req, query, opts.protobuf);
        const deleted: KubeObject[] = [];
        for (const obj of res.items) {
          const r = await deleteObject(h, { ...scope, name: obj.metadata?.name }, options).catch(ignoreNotFound);
          if (r) deleted.push(r.object);
        }
        return listBody(ri, { items: deleted, resourceVersion: String(await h.objects.raw.currentRevision()) });
      }
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }

    const sub = rp.subresource;
    const customScale = sub === 'scale' ? opts.dynamic?.scale(ri) : undefined;
    if (customScale) {
      if (method === 'GET') return customScale.get(edge.object(await h.objects.get(ri, rp.namespace, rp.name)));
      if (method === 'PUT') { const body = decodeObjectBody(req.body, req.headers['content-type'], opts.protobuf); return customScale.update(h, scope, () => body); }
      if (method === 'PATCH') {
        const type = patchTypeOf(req.headers['content-type']);
        const patch = decodePatchBody(req.body, type);
        return customScale.update(h, scope, (cur) => applyPatch(type === 'strategic' ? 'merge' : type, 'Scale', 'autoscaling/v1', cur as KubeObject, patch));
      }
    }
    if (sub === 'scale') {
      if (method === 'GET') return scaleOf(await h.objects.get(ri, rp.namespace, rp.name));
      if (method === 'PUT') { const body = decodeObjectBody(req.body, req.headers['content-type'], opts.protobuf); return updateScale(h, scope, () => body); }
      if (method === 'PATCH') {
        const type = patchTypeOf(req.headers['content-type']);
        const patch = decodePatchBody(req.body, type);
        return updateScale(h, scope, (cur) => applyPatch(type === 'strategic' ? 'merge' : type, 'Scale', 'autoscaling/v1', cur as KubeObject, patch));
      }
    }
    if (sub === 'binding' && method === 'POST') { reply.code(201); return bindPod(h, scope, decodeObjectBody(req.body, req.headers['content-type'], opts.protobuf), now); }
    if (sub === 'eviction' && method === 'POST') {
      const st = await evictPod(h, scope, decodeObjectBody(req.body, req.headers['content-type'], opts.protobuf));
      reply.code(st.code);
      return st;
    }
    if (sub === 'log' || sub === 'exec' || sub === 'attach' || sub === 'portforward') return servePodStream(opts.nodeProxy, h, scope, sub, req, reply);
    const subresource = sub === 'status' || sub === 'approval' ? sub : undefined;
    if (sub !== undefined && !subresource) throw methodNotAllowed('the server does not allow this method on the requested resource');

    switch (method) {
      case 'GET': {
        const obj = await h.objects.get(ri, rp.namespace, rp.name);
        return table && !sub ? asTable([obj], obj.metadata?.resourceVersion) : obj;
      }
      case 'PUT': {
        const body = decodeObjectBody(req.body, req.headers['content-type'], opts.protobuf);
        return h.update(scope, (cur) => edge.inbound(body, cur), { subresource });
      }
      case 'PATCH': {
        const type = patchTypeOf(req.headers['content-type']);
        const patch = decodePatchBody(req.body, type);
        if (type === 'apply' && !subresource) {
          const existing = await h.objects.tryGet(ri, rp.namespace, rp.name);
          if (!existing) {
            if (!isRecord(patch)) throw methodNotAllowed('apply patch must be an object');
            const body = { ...patch, metadata: { ...(isRecord(patch['metadata']) ? patch['metadata'] : {}), name: rp.name } } as KubeObject;
            reply.code(201);
            return h.create(scope, edge.inbound(body));
          }
        }
        return h.update(scope, edge.patch(type, patch), { subresource });
      }
      case 'DELETE': {
        const r = await deleteObject(h, scope, deleteOptionsOf(req, query, opts.protobuf));
        if (!r.deleted) { reply.code(202); return r.object; }
        if (ri.resource === 'pods') return r.object;
        const md = r.object.metadata ?? {};
        return success({ details: { name: md.name, group: ri.group || undefined, kind: ri.resource, uid: md.uid } });
      }
      default:
        throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
  };

  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/api/*', handler: (req, reply) => dispatch(req as Req, reply) });
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/apis/*', handler: (req, reply) => dispatch(req as Req, reply) });
}

function deleteOptionsOf(req: Req, query: Query, protobuf: ProtobufDecoder | undefined): DeleteOptions {
  let opts: DeleteOptions = {};
  if (toBuffer(req.body).length > 0) opts = decodeObjectBody(req.body, req.headers['content-type'], protobuf) as DeleteOptions;
  const grace = qInt(query, 'gracePeriodSeconds');
  if (grace !== undefined) opts = { ...opts, gracePeriodSeconds: grace };
  const policy = q(query, 'propagationPolicy');
  if (policy) opts = { ...opts, propagationPolicy: policy };
  if (q(query, 'orphanDependents') !== undefined) opts = { ...opts, orphanDependents: qBool(query, 'orphanDependents') };
  return opts;
}

function ignoreNotFound(err: unknown): undefined {
  if (isRecord(err) && (err as { code?: unknown }).code === 404) return undefined;
  throw err;
}
