import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { DEPLOYMENTS, PODS, deployment, pod } from '../testing/fixtures.js';

const SMP = { 'content-type': 'application/strategic-merge-patch+json' };
const MERGE = { 'content-type': 'application/merge-patch+json' };
const JSONPATCH = { 'content-type': 'application/json-patch+json' };
const APPLY = { 'content-type': 'application/apply-patch+yaml' };

interface Dep { metadata: { generation: number; resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { replicas: number; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: Array<{ name: string; image: string }> } } } }

describe('PATCH', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer();
    const d = deployment('web');
    const spec = d['spec'] as Dep['spec'];
    spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox:1' });
    expect((await s.request('POST', DEPLOYMENTS, d)).status).toBe(201);
  });
  afterEach(async () => { await s.close(); });

  it('applies kubectl set image (strategic merge with $setElementOrder)', async () => {
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.27', name: 'web' }] } } } };
    const res = await s.request('PATCH', `${DEPLOYMENTS}/web?fieldManager=kubectl-set`, patch, SMP);
    expect(res.status, res.text).toBe(200);
    const d = res.body as unknown as Dep;
    expect(d.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([['web', 'nginx:1.27'], ['sidecar', 'busybox:1']]);
    expect(d.metadata.generation).toBe(2);
  });

  it('applies rollout restart (annotation on the template)', async () => {
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } };
    const res = await s.request('PATCH', `${DEPLOYMENTS}/web`, patch, SMP);
    const d = res.body as unknown as Dep;
    expect(d.spec.template.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web' });
  });

  it('labels and unlabels with a merge patch', async () => {
    let res = await s.request('PATCH', `${DEPLOYMENTS}/web`, { metadata: { labels: { tier: 'fe' } } }, MERGE);
    expect(res.status).toBe(200);
    expect(res.body.metadata!['labels']).toEqual({ app: 'web', tier: 'fe' });
    expect(res.body.metadata!['generation']).toBe(1);
    res = await s.request('PATCH', `${DEPLOYMENTS}/web`, { metadata: { labels: { tier: null } } }, MERGE);
    expect(res.body.metadata!['labels']).toEqual({ app: 'web' });
  });

  it('applies a JSON patch shaped like rollout undo', async () => {
    const template = {
      metadata: { creationTimestamp: null, labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.0', resources: {} }] },
    };
    // the deployment controller has set the revision annotation by the time kubectl undoes
    await s.request('PATCH', `${DEPLOYMENTS}/web`, { metadata: { annotations: { 'deployment.kubernetes.io/revision': '2' } } }, MERGE);
    const patch = [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
    ];
    const res = await s.request('PATCH', `${DEPLOYMENTS}/web`, patch, JSONPATCH);
    expect(res.status, res.text).toBe(200);
    const d = res.body as unknown as Dep;
    expect(d.spec.template.spec.containers.map((c) => c.image)).toEqual(['nginx:1.0']);
    expect(d.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(d.metadata.generation).toBe(2);
  });

  it('refuses a JSON patch whose test fails, writing nothing', async () => {
    const before = await s.listRv(DEPLOYMENTS);
    const res = await s.request('PATCH', `${DEPLOYMENTS}/web`, [{ op: 'test', path: '/spec/replicas', value: 42 }], JSONPATCH);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await s.listRv(DEPLOYMENTS)).toBe(before);
  });

  it('creates with server-side apply (201), then updates (200)', async () => {
    const body = JSON.stringify({ ...deployment('ssa', 2) });
    let res = await s.request('PATCH', `${DEPLOYMENTS}/ssa?fieldManager=kubectl&fieldValidation=Strict&force=false`, body, APPLY);
    expect(res.status, res.text).toBe(201);
    expect(res.body.metadata!['uid']).toBeTruthy();
    const changed = JSON.stringify({ ...deployment('ssa', 4) });
    res = await s.request('PATCH', `${DEPLOYMENTS}/ssa?fieldManager=kubectl&fieldValidation=Strict&force=false`, changed, APPLY);
    expect(res.status, res.text).toBe(200);
    expect((res.body as unknown as Dep).spec.replicas).toBe(4);
  });

  it('refuses an unknown patch type with 415', async () => {
    const before = await s.listRv(DEPLOYMENTS);
    const res = await s.request('PATCH', `${DEPLOYMENTS}/web`, { spec: {} }, { 'content-type': 'application/json' });
    expect(res.status).toBe(415);
    expect(res.body['reason']).toBe('UnsupportedMediaType');
    expect(await s.listRv(DEPLOYMENTS)).toBe(before);
  });

  it('refuses a patch carrying a stale metadata.resourceVersion (kubectl diff precondition)', async () => {
    const cur = (await s.request('GET', `${DEPLOYMENTS}/web`)).body as unknown as Dep;
    await s.request('PATCH', `${DEPLOYMENTS}/web`, { metadata: { labels: { bump: '1' } } }, MERGE);
    const before = await s.listRv(DEPLOYMENTS);
    const res = await s.request('PATCH', `${DEPLOYMENTS}/web`, { metadata: { resourceVersion: cur.metadata.resourceVersion }, spec: { replicas: 1 } }, MERGE);
    expect(res.status).toBe(409);
    expect(res.body['reason']).toBe('Conflict');
    expect(await s.listRv(DEPLOYMENTS)).toBe(before);
  });

  it('404s a patch of a missing object', async () => {
    const res = await s.request('PATCH', `${DEPLOYMENTS}/nope`, { spec: { replicas: 1 } }, MERGE);
    expect(res.status).toBe(404);
    expect(res.body['message']).toBe('deployments.apps "nope" not found');
  });

  it('patches pod status through /status only', async () => {
    await s.request('POST', PODS, pod('p'));
    const res = await s.request('PATCH', `${PODS}/p/status`, { status: { phase: 'Running', podIP: '10.244.0.5' }, metadata: { labels: { no: 'pe' } } }, MERGE);
    expect(res.status, res.text).toBe(200);
    expect(res.body['status']).toMatchObject({ phase: 'Running', podIP: '10.244.0.5' });
    expect(res.body.metadata!['labels']).toBeUndefined();
  });

  it('cordons a node with a strategic merge patch', async () => {
    await s.request('POST', '/api/v1/nodes', { metadata: { name: 'n1' } });
    let res = await s.request('PATCH', '/api/v1/nodes/n1', { spec: { unschedulable: true } }, SMP);
    expect(res.status, res.text).toBe(200);
    expect(res.body['spec']).toMatchObject({ unschedulable: true });
    res = await s.request('PATCH', '/api/v1/nodes/n1', { spec: { unschedulable: null } }, SMP);
    expect((res.body['spec'] as Record<string, unknown>)['unschedulable']).toBeUndefined();
  });
});
