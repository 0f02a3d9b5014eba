/** /openapi/v3 (index + one document per group-version) and /openapi/v2 (not served: 404). */
import type { FastifyInstance } from 'fastify';
import { pathNotFound } from '../../api/status.js';
import { openapiGroupVersionDocument, openapiIndex } from '../openapi/openapi-v3.js';

export function registerOpenApiRoutes(app: FastifyInstance): void {
  app.get('/openapi/v3', async () => openapiIndex());
  app.get('/openapi/v3/*', async (req, reply) => {
    const path = (req.params as { '*': string })['*'].split('?')[0] ?? '';
    const doc = openapiGroupVersionDocument(path);
    if (!doc) throw pathNotFound();
    reply.header('Content-Type', 'application/json').header('Etag', `"${doc.hash}"`);
    return reply.send(doc.json);
  });
  app.get('/openapi/v2', async () => { throw pathNotFound(); });
}
