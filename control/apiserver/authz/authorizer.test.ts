import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticator } from '../auth.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';

/** `x-as: bootstrap|node|admin` (admin when absent). */
const USERS = {
  bootstrap: { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] },
  node: { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] },
  admin: { name: 'admin', groups: ['system:masters', 'system:authenticated'] },
};
const headerAuth: Authenticator = { authenticate: async (req) => USERS[(req.headers['x-as'] as keyof typeof USERS | undefined) ?? 'admin'] };

// inject() resolves dot segments (also %2e) before the server sees them: the e2e sends those raw.
describe('the authorizer and the router read one request', () => {
  let s: TestServer;
  const get = (url: string, as: keyof typeof USERS) => s.request('GET', url, undefined, { 'x-as': as });
  beforeAll(async () => {
    s = await startTestServer({ authenticator: headerAuth });
    const res = await s.request('POST', '/api/v1/namespaces/kube-system/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'top' }, data: { k: 'dg==' } });
    expect(res.status).toBe(201);
  });
  afterAll(async () => { await s.close(); });

  it.each([
    '/api/v1/namespaces%2Fkube-system%2Fsecrets', '/api/v1/namespaces/kube-system%2Fsecrets', '/api/v1/namespaces/default/..%2Fkube-system/secrets',
    '/api//v1/namespaces/kube-system/secrets',
  ])('%s: refused to a bootstrap token and a node, 404 to an admin', async (url) => {
    for (const as of ['bootstrap', 'node'] as const) {
      const res = await get(url, as);
      expect(res.status, `${as}: ${res.text}`).toBe(403);
      expect(res.body['message']).toBe(`forbidden: User "${USERS[as].name}" cannot get path "${url}"`);
    }
    expect((await get(url, 'admin')).status).toBe(404);
  });

  it('an encoded letter is served and authorized as the letter', async () => {
    expect((await get('/api/v1/namespaces/kube-system/%73ecrets', 'bootstrap')).status).toBe(403);
    const admin = await get('/api/v1/namespaces/kube-system/%73ecrets/', 'admin');
    expect(admin.status).toBe(200);
    expect(admin.body['kind']).toBe('SecretList');
  });

  it('the router watches exactly when the authorizer saw a watch', async () => {
    const res = await get('/apis/certificates.k8s.io/v1/certificatesigningrequests?watch=0', 'bootstrap');
    expect(res.status).toBe(200);
    expect(res.body['kind']).toBe('CertificateSigningRequestList');
  });

  it('discovery and /version stay open to nodes and bootstrap tokens; /metrics does not', async () => {
    for (const as of ['bootstrap', 'node'] as const) {
      for (const url of ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/version', '/healthz', '/openapi/v3']) expect((await get(url, as)).status, `${as} ${url}`).toBe(200);
      expect((await get('/metrics', as)).status).toBe(403);
    }
  });
});

describe('requests without credentials are system:anonymous, authorized by RBAC', () => {
  let s: TestServer;
  /** A bearer token "good" is jane; no credentials at all is nobody (the server makes it anonymous). */
  const tokens: Authenticator = {
    authenticate: async (req) => (req.headers.authorization === 'Bearer good' ? { name: 'jane', groups: ['system:authenticated'] } : undefined),
  };
  beforeAll(async () => { s = await startTestServer({ authenticator: tokens }); });
  afterAll(async () => { await s.close(); });

  it('reads health, /version and cluster-info; anything else is 403; a bad token is 401', async () => {
    for (const url of ['/healthz', '/livez', '/readyz', '/version']) expect((await s.request('GET', url)).status, url).toBe(200);
    expect((await s.request('GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info')).status).toBe(404); // allowed, not there
    const api = await s.request('GET', '/api');
    expect(api.status).toBe(403);
    expect(api.body['message']).toBe('forbidden: User "system:anonymous" cannot get path "/api"');
    expect((await s.request('GET', '/api/v1/namespaces/default/pods')).status).toBe(403);
    expect((await s.request('GET', '/healthz', undefined, { authorization: 'Bearer bad' })).status).toBe(401);
    expect((await s.request('GET', '/api', undefined, { authorization: 'Bearer good' })).status).toBe(200);
  });
});
