import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';

const KUBECTL_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const V2BETA1_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface AggResource { resource: string; responseKind?: { group: string; version: string; kind: string }; categories?: string[];
  subresources?: Array<{ subresource: string; responseKind?: { group: string; version: string; kind: string } }> }
interface AggGroup { metadata: { name?: string }; versions: Array<{ version: string; resources: AggResource[] }> }

describe('discovery, version, openapi and health', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.close(); });

  const aggregated = async (path: string, accept: string) => {
    const res = await s.request('GET', path, undefined, { accept });
    expect(res.status).toBe(200);
    return res;
  };
  const allResources = (groups: AggGroup[]): AggResource[] => groups.flatMap((g) => g.versions.flatMap((v) => v.resources));

  it.each([['v2', KUBECTL_ACCEPT], ['v2beta1', V2BETA1_ACCEPT]])('negotiates aggregated discovery %s exactly', async (v, accept) => {
    for (const path of ['/api', '/apis']) {
      const res = await aggregated(path, accept);
      expect(res.headers['content-type']).toBe(`application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
      expect(res.body).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}` });
    }
  });

  it('answers the roots with a trailing slash too (the conformance Discovery spec asks for /apis/)', async () => {
    const apis = await s.request('GET', '/apis/');
    expect(apis.status).toBe(200);
    expect(apis.body).toMatchObject({ kind: 'APIGroupList' });
    const api = await s.request('GET', '/api/');
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect((await s.request('GET', '/apis/apps/')).body).toMatchObject({ kind: 'APIGroup', name: 'apps' });
    expect((await s.request('GET', '/apis/apps/v1/')).body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
    expect((await s.request('GET', '/api/v1/')).body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
  });

  it('gives responseKind on every resource and subresource, and the core group without a name', async () => {
    const core = (await aggregated('/api', KUBECTL_ACCEPT)).body['items'] as AggGroup[];
    expect(core).toHaveLength(1);
    expect(core[0]!.metadata.name).toBeUndefined();
    const groups = (await aggregated('/apis', KUBECTL_ACCEPT)).body['items'] as AggGroup[];
    expect(groups.map((g) => g.metadata.name)).toEqual(expect.arrayContaining(['apps', 'batch']));
    for (const r of allResources([...core, ...groups])) {
      expect(r.responseKind, r.resource).toBeDefined();
      for (const sub of r.subresources ?? []) expect(sub.responseKind, `${r.resource}/${sub.subresource}`).toBeDefined();
    }
    const pods = allResources(core).find((r) => r.resource === 'pods')!;
    expect(pods.subresources?.find((x) => x.subresource === 'eviction')?.responseKind).toEqual({ group: 'policy', version: 'v1', kind: 'Eviction' });
    const deploy = allResources(groups).find((r) => r.resource === 'deployments')!;
    expect(deploy.subresources?.find((x) => x.subresource === 'scale')?.responseKind).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('puts the workload kinds in the "all" category', async () => {
    const core = (await aggregated('/api', KUBECTL_ACCEPT)).body['items'] as AggGroup[];
    const groups = (await aggregated('/apis', KUBECTL_ACCEPT)).body['items'] as AggGroup[];
    const inAll = allResources([...core, ...groups]).filter((r) => r.categories?.includes('all')).map((r) => r.resource);
    expect(inAll).toEqual(expect.arrayContaining(['pods', 'services', 'replicationcontrollers', 'deployments', 'replicasets', 'daemonsets', 'jobs', 'cronjobs']));
    expect(inAll).not.toContain('namespaces');
  });

  it('serves legacy discovery without the aggregated Accept', async () => {
    const api = await s.request('GET', '/api', undefined, { accept: 'application/json' });
    expect(api.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    const apis = await s.request('GET', '/apis');
    expect(apis.body['kind']).toBe('APIGroupList');
    const apps = (apis.body['groups'] as Array<{ name: string; preferredVersion: unknown }>).find((g) => g.name === 'apps');
    expect(apps?.preferredVersion).toEqual({ groupVersion: 'apps/v1', version: 'v1' });
    const appsV1 = await s.request('GET', '/apis/apps/v1');
    expect(appsV1.body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
    expect((await s.request('GET', '/apis/nope/v1')).status).toBe(404);
  });

  it('lists pods/eviction in /api/v1 with group policy and version v1 (kubectl drain)', async () => {
    const res = await s.request('GET', '/api/v1');
    expect(res.body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const resources = res.body['resources'] as Array<Record<string, unknown>>;
    expect(resources.find((r) => r['name'] === 'pods/eviction')).toMatchObject({ kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] });
    expect(resources.find((r) => r['name'] === 'pods')).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] });
  });

  it('reports version minor "32" without credentials', async () => {
    const res = await s.request('GET', '/version?timeout=5s');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ major: '1', minor: '32' });
  });

  it('serves the OpenAPI v3 index and a group-version document', async () => {
    const index = await s.request('GET', '/openapi/v3?timeout=32s');
    const paths = index.body['paths'] as Record<string, { serverRelativeURL: string }>;
    expect(paths['api/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    const url = paths['apis/apps/v1']!.serverRelativeURL;
    const doc = await s.request('GET', `${url}&timeout=32s`);
    expect(doc.status).toBe(200);
    expect(doc.body['openapi']).toBe('3.0.0');
    expect(Object.keys(doc.body['paths'] as object).some((p) => p.includes('/deployments'))).toBe(true);
    expect((await s.request('GET', '/openapi/v3/apis/nope/v1')).status).toBe(404);
    expect((await s.request('GET', '/openapi/v2')).status).toBe(404);
  });

  it('answers /livez, /readyz and /metrics', async () => {
    expect((await s.request('GET', '/livez')).text).toBe('ok');
    expect((await s.request('GET', '/readyz')).text).toBe('ok');
    await s.request('GET', '/api/v1/namespaces/default/pods');
    const m = await s.request('GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain/);
    expect(m.text).toMatch(/apiserver_request_total\{verb="GET",resource="pods",code="200"\} \d+/);
  });

  it('answers an unknown path with a 404 Status', async () => {
    const res = await s.request('GET', '/api/v1/widgets');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' });
  });
});
