/** /version, /livez, /readyz, /healthz and /metrics. */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export const VERSION_INFO = {
  major: '1', minor: '32', gitVersion: 'v1.32.0-tinykube', gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean', buildDate: '2026-11-22T00:00:00Z', goVersion: 'go1.23.4', compiler: 'gc',
  platform: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
} as const;

export interface HealthOptions { registry: Registry; ready: () => Promise<string | undefined> }

export function registerHealthRoutes(app: FastifyInstance, opts: HealthOptions): void {
  app.get('/version', async () => VERSION_INFO);
  app.get('/livez', async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/healthz', async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/readyz', async (_req, reply) => {
    const problem = await opts.ready();
    if (problem) return reply.code(500).type('text/plain').send(`[-]${problem} failed\nreadyz check failed`);
    return reply.type('text/plain').send('ok');
  });
  app.get('/metrics', async (_req, reply) => reply.type(opts.registry.contentType).send(await opts.registry.metrics()));
}
