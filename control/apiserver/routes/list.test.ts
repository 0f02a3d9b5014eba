import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { PODS, pod } from '../testing/fixtures.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const names = (body: Record<string, unknown>): string[] =>
  (body['items'] as Array<{ metadata: { name: string } }>).map((i) => i.metadata.name);

describe('GET and LIST', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await s.request('POST', '/api/v1/namespaces', { metadata: { name: 'other' } });
    for (let i = 0; i < 7; i++) {
      const r = await s.request('POST', PODS, pod(`p${i}`, { labels: { app: i % 2 ? 'odd' : 'even', tier: `t${i}` }, nodeName: i < 2 ? 'node1' : undefined }));
      expect(r.status).toBe(201);
    }
    await s.request('POST', '/api/v1/namespaces/other/pods', pod('elsewhere'));
    const ev = (name: string, target: string) => ({
      metadata: { name }, involvedObject: { apiVersion: 'v1', kind: 'Pod', name: target, namespace: 'default' },
      reason: 'Scheduled', message: `assigned ${target}`, type: 'Normal', count: 1,
    });
    await s.request('POST', '/api/v1/namespaces/default/events', ev('e1', 'p0'));
    await s.request('POST', '/api/v1/namespaces/default/events', ev('e2', 'p1'));
  });
  afterAll(async () => { await s.close(); });

  it('returns a typed list with a resourceVersion', async () => {
    const res = await s.request('GET', PODS);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });
    expect(Number(res.body.metadata!['resourceVersion'])).toBeGreaterThan(0);
    expect(names(res.body)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    const deps = await s.request('GET', '/apis/apps/v1/deployments');
    expect(deps.body).toMatchObject({ kind: 'DeploymentList', apiVersion: 'apps/v1', items: [] });
    const ns = await s.request('GET', '/api/v1/namespaces');
    expect(ns.body['kind']).toBe('NamespaceList');
  });

  it('lists across namespaces', async () => {
    const res = await s.request('GET', '/api/v1/pods');
    expect(names(res.body)).toContain('elsewhere');
    expect(names(res.body)).toHaveLength(8);
  });

  it('answers a Table when asked, with PartialObjectMetadata rows', async () => {
    const res = await s.request('GET', '/api/v1/pods?limit=500', undefined, { accept: TABLE });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(res.body.metadata!['resourceVersion']).toBeTruthy();
    const cols = (res.body['columnDefinitions'] as Array<{ name: string; priority: number }>).map((c) => c.name);
    expect(cols).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    const rows = res.body['rows'] as Array<{ cells: unknown[]; object: { kind: string; apiVersion: string; metadata: Record<string, unknown> } }>;
    const other = rows.find((r) => r.cells[0] === 'elsewhere')!;
    expect(other.object.kind).toBe('PartialObjectMetadata');
    expect(other.object.apiVersion).toBe('meta.k8s.io/v1');
    expect(other.object.metadata['namespace']).toBe('other');
    const p0 = rows.find((r) => r.cells[0] === 'p0')!;
    expect(p0.cells.slice(1, 3)).toEqual(['0/1', 'Pending']);
    expect(p0.cells[6]).toBe('node1');
    expect(p0.object.metadata['labels']).toEqual({ app: 'even', tier: 't0' });
  });

  it('puts the full object in Table rows with includeObject=Object (kubectl --sort-by)', async () => {
    const res = await s.request('GET', `${PODS}?includeObject=Object`, undefined, { accept: TABLE });
    const rows = res.body['rows'] as Array<{ object: { kind: string; spec?: unknown } }>;
    expect(rows[0]!.object.kind).toBe('Pod');
    expect(rows[0]!.object.spec).toBeDefined();
  });

  it('answers a one-row Table for a single GET', async () => {
    const res = await s.request('GET', `${PODS}/p3`, undefined, { accept: TABLE });
    expect(res.body['kind']).toBe('Table');
    expect((res.body['rows'] as unknown[]).length).toBe(1);
    const plain = await s.request('GET', `${PODS}/p3`);
    expect(plain.body).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p3' } });
  });

  it('404s a missing object with the exact Status', async () => {
    const res = await s.request('GET', `${PODS}/nope`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found',
      reason: 'NotFound', code: 404, details: { name: 'nope', kind: 'pods' },
    });
  });

  it.each([
    ['labelSelector=app%3Dodd', ['p1', 'p3', 'p5']],
    ['labelSelector=app!%3Dodd,tier%20in%20(t0,t2,t3)', ['p0', 'p2']],
    ['labelSelector=tier%20notin%20(t0,t1,t2,t3,t4)', ['p5', 'p6']],
    ['labelSelector=!tier', []],
    ['fieldSelector=metadata.name%3Dp4', ['p4']],
    ['fieldSelector=spec.nodeName%3Dnode1', ['p0', 'p1']],
    ['fieldSelector=status.phase!%3DSucceeded,status.phase!%3DFailed,spec.nodeName%3Dnode1', ['p0', 'p1']],
  ])('filters pods with %s', async (query, want) => {
    const res = await s.request('GET', `${PODS}?${query}`);
    expect(res.status, res.text).toBe(200);
    expect(names(res.body)).toEqual(want);
  });

  it('filters events by involvedObject', async () => {
    const res = await s.request('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dp1,involvedObject.namespace%3Ddefault');
    expect(res.status, res.text).toBe(200);
    expect(names(res.body)).toEqual(['e2']);
  });

  it.each([
    ['labelSelector=app%3D%3D%3D'],
    ['fieldSelector=spec.bogus%3Dx'],
  ])('refuses an invalid selector (%s) with 400', async (query) => {
    const res = await s.request('GET', `${PODS}?${query}`);
    expect(res.status).toBe(400);
    expect(res.body['reason']).toBe('BadRequest');
  });

  it('pages with limit and continue on one snapshot', async () => {
    const seen: string[] = [];
    let cont: string | undefined;
    let rv: string | undefined;
    const pages: number[] = [];
    do {
      const res = await s.request('GET', `${PODS}?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      expect(res.status, res.text).toBe(200);
      rv ??= String(res.body.metadata!['resourceVersion']);
      expect(res.body.metadata!['resourceVersion']).toBe(rv);
      seen.push(...names(res.body));
      pages.push(names(res.body).length);
      cont = res.body.metadata!['continue'] as string | undefined;
      // a write between pages does not show up in later pages
      if (pages.length === 1) await s.request('POST', PODS, pod('p7'));
    } while (cont);
    expect(pages).toEqual([3, 3, 1]);
    expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    await s.request('DELETE', `${PODS}/p7`);
  });

  it('refuses a continue token it did not write', async () => {
    const res = await s.request('GET', `${PODS}?limit=3&continue=garbage`);
    expect(res.status).toBe(400);
  });

  it('lists a namespace that does not exist as empty (kubectl: "No resources found")', async () => {
    const res = await s.request('GET', '/api/v1/namespaces/nope/pods');
    expect(res.status).toBe(200);
    expect(res.body['items']).toEqual([]);
  });
});
