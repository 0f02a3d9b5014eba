import { afterEach, describe, expect, it } from 'vitest';
import { TokenAndCertAuthenticator, UnionAuthenticator } from '../apiserver/auth.js';
import { kubeAdmission } from '../apiserver/registry/kube-admission.js';
import { buildApiServer } from '../apiserver/server.js';
import type { ApiServer } from '../apiserver/server.js';
import { eventually } from '../../test/helpers/eventually.js';
import { bootstrapCluster } from '../apiserver/internal/bootstrap-cluster.js';
import { reconcileBootstrapPolicy } from '../apiserver/internal/bootstrap-policy/reconcile.js';
import { InjectTransport } from '../client/transport.js';
import type { Injectable } from '../client/transport.js';
import { MemoryStore } from '../store/memory/memory-store.js';
import { silentLogger } from '../util/log.js';
import { followBootstrapTokens } from './follow-tokens.js';
import { BootstrapTokenAuthenticator } from './token-authenticator.js';
import { BootstrapTokenCache } from './token-cache.js';
import { buildTokenSecret } from './token-secret.js';

const ADMIN = 'admin-token';
const BEARER = 'abcdef.0123456789abcdef';
const CLUSTER_INFO = '/api/v1/namespaces/kube-public/configmaps/cluster-info';

describe('bootstrap tokens through the API server', () => {
  let server: ApiServer;
  let store: MemoryStore;
  const ac = new AbortController();
  afterEach(async () => { ac.abort(); await server.app.close(); await store.close(); });

  const get = async (url: string, token?: string) =>
    (await server.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} })).statusCode;

  it('authenticates tokens once their Secret exists, lets anyone read cluster-info and nothing else (system:anonymous, by RBAC)', async () => {
    store = new MemoryStore();
    const log = silentLogger();
    const cache = new BootstrapTokenCache();
    server = buildApiServer({
      store, log, admission: kubeAdmission,
      authenticator: new UnionAuthenticator([
        new TokenAndCertAuthenticator({ tokens: new Map([[ADMIN, { name: 'admin', groups: ['system:masters'] }]]) }),
        new BootstrapTokenAuthenticator({ secrets: cache }),
      ]),
    });
    await server.app.ready();
    await bootstrapCluster({ handler: server.handler, log, kubernetesServiceIP: '10.96.0.1', dnsServiceIP: '10.96.0.10', advertiseAddress: '127.0.0.1', port: 6443 });
    await reconcileBootstrapPolicy({ handler: server.handler, log });
    const following = followBootstrapTokens({ transport: new InjectTransport(server.app as unknown as Injectable, { authorization: `Bearer ${ADMIN}` }), cache, log, signal: ac.signal });

    expect(await get('/api', BEARER)).toBe(401);
    const secret = buildTokenSecret({ token: { id: 'abcdef', secret: '0123456789abcdef' }, usages: ['authentication'], groups: [] });
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/namespaces/kube-system/secrets', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, payload: JSON.stringify(secret) });
    expect(created.statusCode).toBe(201);
    await eventually(async () => { expect(await get('/api', BEARER)).toBe(200); });

    // anonymous: past authentication and RBAC (kubeadm's role); it just does not exist yet
    await eventually(async () => { expect(await get(CLUSTER_INFO)).toBe(404); });
    expect(await get(`${CLUSTER_INFO}?timeout=10s`)).toBe(404);
    expect(await get(CLUSTER_INFO, 'nonsense')).toBe(401);
    expect(await get('/api')).toBe(403);
    expect(await get('/api/v1/namespaces/kube-public/configmaps')).toBe(403);
    expect(await get('/api/v1/namespaces/kube-system/configmaps/cluster-info')).toBe(403);
    expect((await server.app.inject({ method: 'DELETE', url: CLUSTER_INFO })).statusCode).toBe(403);

    await server.app.inject({ method: 'DELETE', url: '/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef', headers: { authorization: `Bearer ${ADMIN}` } });
    await eventually(async () => { expect(await get('/api', BEARER)).toBe(401); });
    ac.abort();
    await following;
  });
});
