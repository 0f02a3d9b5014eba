import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerAuth } from '../testing/header-auth.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';


const NS = '/api/v1/namespaces/default';
const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { k: 'dg==' } });
const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });
const pod = (name: string, nodeName: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }], ...spec },
});
const forbiddenFor = (n: string, verb: string, what: string, resource: string, ns = 'in the namespace "default"') =>
  `${what} is forbidden: User "system:node:${n}" cannot ${verb} resource "${resource}" in API group "" ${ns}`;

describe('Node authorizer', () => {
  let s: TestServer;
  const as = (node: string) => ({ 'x-node': node });
  const ok = async (method: Parameters<TestServer['request']>[0], url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await s.request(method, url, body, headers);
    expect(res.status, `${method} ${url}: ${res.text}`).toBeLessThan(300);
    return res;
  };
  const refused = async (method: Parameters<TestServer['request']>[0], url: string, body: unknown, node: string) => {
    const res = await s.request(method, url, body, as(node));
    expect(res.status, res.text).toBe(403);
    expect(res.body['reason']).toBe('Forbidden');
    return String(res.body['message']);
  };

  beforeEach(async () => {
    s = await startTestServer({ authenticator: headerAuth });
    for (const n of ['s1', 's2', 'pull']) await ok('POST', `${NS}/secrets`, secret(n));
    for (const n of ['cm1', 'cm2']) await ok('POST', `${NS}/configmaps`, configMap(n));
    await ok('POST', `${NS}/pods`, pod('p1', 'n1', {
      containers: [{ name: 'c', image: 'busybox', envFrom: [{ configMapRef: { name: 'cm1' } }] }],
      volumes: [{ name: 'v', secret: { secretName: 's1' } }], imagePullSecrets: [{ name: 'pull' }],
    }));
    await ok('POST', `${NS}/pods`, pod('p2', 'n2', { volumes: [{ name: 'v', secret: { secretName: 's2' } }, { name: 'c', configMap: { name: 'cm2' } }] }));
    await ok('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
  });
  afterEach(async () => { await s.close(); });

  it('lets a node get the secrets and configmaps its own pods refer to, and no others', async () => {
    await ok('GET', `${NS}/secrets/s1`, undefined, as('n1'));
    await ok('GET', `${NS}/secrets/pull`, undefined, as('n1'));
    await ok('GET', `${NS}/configmaps/cm1`, undefined, as('n1'));
    await ok('GET', `${NS}/secrets/s2`, undefined, as('n2'));
    expect(await refused('GET', `${NS}/secrets/s2`, undefined, 'n1'))
      .toBe(`${forbiddenFor('n1', 'get', 'secrets "s2"', 'secrets')}: no relationship found between node 'n1' and this object`);
    expect(await refused('GET', `${NS}/configmaps/cm2`, undefined, 'n1')).toMatch(/: no relationship found between node 'n1' and this object$/);
    // a reference by a pod in another namespace does not count
    expect(await refused('GET', '/api/v1/namespaces/kube-system/secrets/s1', undefined, 'n1')).toMatch(/no relationship found/);
    // referenced but absent: allowed, so the node learns it is missing
    await ok('POST', `${NS}/pods`, pod('p3', 'n1', { volumes: [{ name: 'v', secret: { secretName: 'later' } }] }));
    expect((await s.request('GET', `${NS}/secrets/later`, undefined, as('n1'))).status).toBe(404);
  });

  it('refuses lists, watches of everything and writes of secrets and configmaps, but watches one related object', async () => {
    expect(await refused('GET', `${NS}/secrets`, undefined, 'n1')).toBe(`${forbiddenFor('n1', 'list', 'secrets', 'secrets')}: No Object name found`);
    expect(await refused('GET', '/api/v1/configmaps?watch=true', undefined, 'n1'))
      .toBe(`${forbiddenFor('n1', 'watch', 'configmaps', 'configmaps', 'at the cluster scope')}: can only read namespaced object of this type`);
    expect(await refused('PUT', `${NS}/secrets/s1`, secret('s1'), 'n1')).toMatch(/: can only read resources of this type$/);
    expect(await refused('POST', `${NS}/configmaps`, configMap('x'), 'n1')).toMatch(/: can only read resources of this type$/);
    await ok('GET', `${NS}/secrets?fieldSelector=metadata.name%3Ds1`, undefined, as('n1'));
    expect(await refused('GET', `${NS}/secrets?fieldSelector=metadata.name%3Ds2`, undefined, 'n1')).toMatch(/^secrets "s2" is forbidden: .*no relationship found/);
  });

  it('lets a node read what the agent, its proxy and DNS watch', async () => {
    for (const url of ['/api/v1/nodes', '/api/v1/nodes/n2', `/api/v1/pods?fieldSelector=spec.nodeName%3Dn1`, `${NS}/pods/p2`, `${NS}/services`, '/api/v1/services',
      '/api/v1/endpoints', '/apis/discovery.k8s.io/v1/endpointslices', '/api/v1/namespaces', `${NS}/events`,
      '/apis/certificates.k8s.io/v1/certificatesigningrequests', '/api', '/apis']) {
      await ok('GET', url, undefined, as('n1'));
    }
    await ok('POST', `${NS}/events`, { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p1', namespace: 'default' }, reason: 'Started', message: 'x', type: 'Normal' }, as('n1'));
  });

  it('refuses everything outside the node rules without a reason, like RBAC', async () => {
    expect(await refused('GET', '/apis/apps/v1/namespaces/default/deployments', undefined, 'n1'))
      .toBe('deployments.apps is forbidden: User "system:node:n1" cannot list resource "deployments" in API group "apps" in the namespace "default"');
    expect(await refused('GET', `${NS}/pods/p1/log`, undefined, 'n1')).toBe(forbiddenFor('n1', 'get', 'pods "p1"', 'pods/log'));
    expect(await refused('DELETE', `${NS}/pods`, undefined, 'n1')).toBe(forbiddenFor('n1', 'deletecollection', 'pods', 'pods'));
    expect(await refused('PATCH', `${NS}/pods/p1`, { metadata: { labels: { a: 'b' } } }, 'n1')).toBe(forbiddenFor('n1', 'patch', 'pods "p1"', 'pods'));
    expect(await refused('POST', `${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 80 }] } }, 'n1'))
      .toBe(forbiddenFor('n1', 'create', 'services', 'services'));
  });

  it('lets a node create tokens only for the ServiceAccounts its own pods run as, and nothing else of serviceaccounts', async () => {
    for (const n of ['sa1', 'sa2']) await ok('POST', `${NS}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: n } });
    await ok('POST', `${NS}/pods`, pod('p-sa', 'n1', { serviceAccountName: 'sa1' }));
    const tr = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p-sa' } } };
    // past the authorizer (what answers then is the token handler's, or 405 without one)
    expect((await s.request('POST', `${NS}/serviceaccounts/sa1/token`, tr, as('n1'))).status).not.toBe(403);
    expect(await refused('POST', `${NS}/serviceaccounts/sa1/token`, tr, 'n2'))
      .toBe(`${forbiddenFor('n2', 'create', 'serviceaccounts "sa1"', 'serviceaccounts/token')}: no relationship found between node 'n2' and this object`);
    expect(await refused('POST', `${NS}/serviceaccounts/sa2/token`, tr, 'n1')).toMatch(/: no relationship found between node 'n1' and this object$/);
    expect(await refused('GET', `${NS}/serviceaccounts/sa1`, undefined, 'n1')).toMatch(/: can only create tokens for individual service accounts$/);
    expect(await refused('POST', `${NS}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x' } }, 'n1'))
      .toMatch(/: can only create tokens for individual service accounts$/);
    expect(await refused('GET', `${NS}/serviceaccounts/sa1/token`, undefined, 'n1')).toMatch(/: can only create tokens for individual service accounts$/);
  });

  it('refuses a system:nodes member whose name is not system:node:<name>', async () => {
    const res = await s.request('GET', '/api/v1/nodes', undefined, { 'x-user': 'kubelet|system:nodes,system:authenticated' });
    expect(res.status).toBe(403);
    expect(res.body['message']).toBe('nodes is forbidden: User "kubelet" cannot list resource "nodes" in API group "" at the cluster scope: unknown node for user "kubelet"');
  });

  it('leaves other users to RBAC', async () => {
    expect((await s.request('GET', `${NS}/secrets`, undefined, { 'x-user': 'jane|system:authenticated' })).status).toBe(403);
    expect((await s.request('DELETE', '/api/v1/nodes/n2', undefined, { 'x-user': 'jane|system:authenticated' })).status).toBe(403);
  });
});
