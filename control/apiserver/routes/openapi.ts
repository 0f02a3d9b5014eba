/** /openapi/v3 (index + one document per group-version) and /openapi/v2 (not served: 404). */
import type { FastifyInstance } from 'fastify';
import { pathNotFound } from '../../api/status.js';
import { documentPath, openapiGroupVersionDocument, openapiIndex } from '../openapi/openapi-v3.js';
import type { SerializedDocument } from '../openapi/openapi-v3.js';

/** Documents of group-versions defined at run time (apiextensions), keyed by group-version ("example.com/v1"); they win over the built-in ones. */
export type ExtraOpenApiDocuments = () => ReadonlyMap<string, SerializedDocument>;

/** PURE. True when an Accept-Encoding header takes gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : header ?? '';
  return value.split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    return (coding === 'gzip' || coding === '*') && !params.some((q) => /^q=0(\.0*)?$/.test(q));
  });
}

export function registerOpenApiRoutes(app: FastifyInstance, opts: { extra?: ExtraOpenApiDocuments } = {}): void {
  app.get('/openapi/v3', async () => {
    const index = openapiIndex();
    for (const [gv, d] of opts.extra?.() ?? []) {
      index.paths[documentPath(gv)] = { serverRelativeURL: `/openapi/v3/${documentPath(gv)}?hash=${d.hash}` };
    }
    return index;
  });
  app.get('/openapi/v3/*', async (req, reply) => {
    const path = (req.params as { '*': string })['*'].split('?')[0] ?? '';
    const doc = opts.extra?.().get(path.replace(/^\/+|\/+$/g, '').replace(/^apis\//, '')) ?? openapiGroupVersionDocument(path);
    if (!doc) throw pathNotFound();
    reply.header('Content-Type', 'application/json').header('Etag', `"${doc.hash}"`).header('Vary', 'Accept-Encoding');
    if (doc.gzip && acceptsGzip(req.headers['accept-encoding'])) return reply.header('Content-Encoding', 'gzip').send(doc.gzip);
    return reply.send(doc.json);
  });
  app.get('/openapi/v2', async () => { throw pathNotFound(); });
}
