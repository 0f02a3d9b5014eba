import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { DEPLOYMENTS, PODS, deployment, pod } from '../testing/fixtures.js';

type Obj = KubeObject & { spec: Record<string, unknown>; status?: Record<string, unknown> };

describe('PUT (update)', () => {
  let s: TestServer;
  let dep: Obj;
  beforeEach(async () => {
    s = await startTestServer();
    dep = (await s.request('POST', DEPLOYMENTS, deployment('web'))).body as Obj;
    const st = await s.request('PUT', `${DEPLOYMENTS}/web/status`, { ...dep, status: { replicas: 3, observedGeneration: 1 } });
    expect(st.status, st.text).toBe(200);
    dep = st.body as Obj;
  });
  afterEach(async () => { await s.close(); });

  it('keeps status on a main-resource PUT and bumps generation on a spec change', async () => {
    const body = { ...dep, spec: { ...dep.spec, replicas: 5 }, status: { replicas: 99 } };
    const res = await s.request('PUT', `${DEPLOYMENTS}/web`, body);
    expect(res.status, res.text).toBe(200);
    const got = res.body as Obj;
    expect(got.spec['replicas']).toBe(5);
    expect(got.status).toEqual({ replicas: 3, observedGeneration: 1 });
    expect(got.metadata?.generation).toBe(2);
    expect(Number(got.metadata?.resourceVersion)).toBeGreaterThan(Number(dep.metadata?.resourceVersion));
  });

  it('does not bump generation when only metadata changes', async () => {
    const body = { ...dep, metadata: { ...dep.metadata, labels: { app: 'web', extra: 'yes' } } };
    const res = await s.request('PUT', `${DEPLOYMENTS}/web`, body);
    expect(res.status).toBe(200);
    expect(res.body.metadata!['generation']).toBe(1);
    expect(res.body.metadata!['labels']).toEqual({ app: 'web', extra: 'yes' });
  });

  it('refuses a stale resourceVersion with the exact Conflict and writes nothing', async () => {
    await s.request('PUT', `${DEPLOYMENTS}/web`, { ...dep, metadata: { ...dep.metadata, labels: { x: '1' } } });
    const before = await s.listRv(DEPLOYMENTS);
    const res = await s.request('PUT', `${DEPLOYMENTS}/web`, { ...dep, spec: { ...dep.spec, replicas: 9 } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409,
      message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
    expect(await s.listRv(DEPLOYMENTS)).toBe(before);
  });

  it('changes only status through /status', async () => {
    const body = { ...dep, spec: { ...dep.spec, replicas: 7 }, metadata: { ...dep.metadata, labels: { changed: 'yes' } }, status: { replicas: 1 } };
    const res = await s.request('PUT', `${DEPLOYMENTS}/web/status`, body);
    expect(res.status, res.text).toBe(200);
    const got = res.body as Obj;
    expect(got.status).toEqual({ replicas: 1 });
    expect(got.spec['replicas']).toBe(3);
    expect(got.metadata?.labels).toEqual({ app: 'web' });
    expect(got.metadata?.generation).toBe(1);
  });

  it('does not write a no-op PUT', async () => {
    const before = await s.listRv(DEPLOYMENTS);
    const res = await s.request('PUT', `${DEPLOYMENTS}/web`, dep);
    expect(res.status).toBe(200);
    expect(res.body.metadata!['resourceVersion']).toBe(dep.metadata?.resourceVersion);
    expect(await s.listRv(DEPLOYMENTS)).toBe(before);
  });

  it('refuses a name that does not match the URL, and 404s a missing object', async () => {
    const res = await s.request('PUT', `${DEPLOYMENTS}/web`, { ...dep, metadata: { ...dep.metadata, name: 'other' } });
    expect(res.status).toBe(400);
    const missing = await s.request('PUT', `${DEPLOYMENTS}/nope`, { ...deployment('nope') });
    expect(missing.status).toBe(404);
  });

  it('keeps pod status on PUT and validates the update', async () => {
    const p = (await s.request('POST', PODS, pod('web'))).body as Obj;
    const res = await s.request('PUT', `${PODS}/web`, { ...p, status: { phase: 'Running' } });
    expect(res.status).toBe(200);
    expect((res.body as Obj).status?.['phase']).toBe('Pending');
    const before = await s.listRv(PODS);
    const containers = p.spec['containers'] as Array<Record<string, unknown>>;
    const bad = await s.request('PUT', `${PODS}/web`, { ...p, metadata: { ...p.metadata, resourceVersion: undefined }, spec: { ...p.spec, containers: [{ ...containers[0], image: '' }] } });
    expect(bad.status).toBe(422);
    expect(await s.listRv(PODS)).toBe(before);
  });

  it('changes nothing with dryRun=All', async () => {
    const before = await s.listRv(DEPLOYMENTS);
    const res = await s.request('PUT', `${DEPLOYMENTS}/web?dryRun=All`, { ...dep, spec: { ...dep.spec, replicas: 8 } });
    expect(res.status).toBe(200);
    expect((res.body as Obj).spec['replicas']).toBe(8);
    expect(await s.listRv(DEPLOYMENTS)).toBe(before);
    expect(((await s.request('GET', `${DEPLOYMENTS}/web`)).body as Obj).spec['replicas']).toBe(3);
  });
});
