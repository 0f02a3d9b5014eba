import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { DEPLOYMENTS, RCS, REPLICASETS, deployment, replicaSet, replicationController } from '../testing/fixtures.js';

const MERGE = { 'content-type': 'application/merge-patch+json' };

describe.each([
  ['deployments', DEPLOYMENTS, () => deployment('frontend', 3), true],
  ['replicasets', REPLICASETS, () => replicaSet('frontend', 3), true],
  ['replicationcontrollers', RCS, () => replicationController('frontend', 3), true],
] as Array<[string, string, () => KubeObject, boolean]>)('%s/scale', (_resource, base, make) => {
  let s: TestServer;
  let uid: string;
  beforeAll(async () => {
    s = await startTestServer();
    const res = await s.request('POST', base, make());
    expect(res.status, res.text).toBe(201);
    uid = String(res.body.metadata!['uid']);
  });
  afterAll(async () => { await s.close(); });

  it('GETs a Scale', async () => {
    const res = await s.request('GET', `${base}/frontend/scale`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name: 'frontend', namespace: 'default', uid },
      spec: { replicas: 3 }, status: { replicas: 0, selector: 'app=frontend' },
    });
    expect(res.body.metadata!['resourceVersion']).toBeTruthy();
  });

  it('PATCHes replicas like kubectl scale, bumping the parent generation', async () => {
    const res = await s.request('PATCH', `${base}/frontend/scale`, { spec: { replicas: 6 } }, MERGE);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ kind: 'Scale', spec: { replicas: 6 } });
    const parent = await s.request('GET', `${base}/frontend`);
    expect((parent.body['spec'] as { replicas: number }).replicas).toBe(6);
    expect(parent.body.metadata!['generation']).toBe(2);
  });

  it('PUTs a whole Scale and refuses a stale resourceVersion with 409', async () => {
    const cur = (await s.request('GET', `${base}/frontend/scale`)).body;
    const ok = await s.request('PUT', `${base}/frontend/scale`, { ...cur, spec: { replicas: 2 } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body['spec']).toEqual({ replicas: 2 });
    const before = await s.listRv(base);
    const stale = await s.request('PUT', `${base}/frontend/scale`, { ...cur, spec: { replicas: 9 } });
    expect(stale.status).toBe(409);
    expect(stale.body['reason']).toBe('Conflict');
    expect(await s.listRv(base)).toBe(before);
  });

  it('reads a Scale without spec.replicas as zero, as Go decodes it (typed clients omit a zero int32)', async () => {
    const cur = (await s.request('GET', `${base}/frontend/scale`)).body;
    const res = await s.request('PUT', `${base}/frontend/scale`, { ...cur, spec: {} });
    expect(res.status, res.text).toBe(200);
    expect(res.body['spec']).toEqual({ replicas: 0 });
  });

  it('refuses negative replicas with 422', async () => {
    const before = await s.listRv(base);
    const res = await s.request('PATCH', `${base}/frontend/scale`, { spec: { replicas: -1 } }, MERGE);
    expect(res.status).toBe(422);
    expect(await s.listRv(base)).toBe(before);
  });

  it('404s the scale of a missing object', async () => {
    expect((await s.request('GET', `${base}/nope/scale`)).status).toBe(404);
  });
});
