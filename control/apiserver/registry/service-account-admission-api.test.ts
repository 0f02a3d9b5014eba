import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';

const PODS = '/api/v1/namespaces/default/pods';
const SAS = '/api/v1/namespaces/default/serviceaccounts';
const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], initContainers: [{ name: 'i', image: 'busybox' }], ...spec },
});
interface PodBody { spec: { serviceAccountName?: string; serviceAccount?: string; volumes?: Array<{ name: string; projected?: unknown }>; containers: Array<{ volumeMounts?: unknown[] }>; initContainers: Array<{ volumeMounts?: unknown[] }> } }

describe('ServiceAccount admission through the API', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer({ serviceAccounts: true });
    expect((await s.request('POST', SAS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } })).status).toBe(201);
  });
  afterEach(async () => { await s.close(); });

  it('stores the pod with default, the volume and the mounts, and they pass validation', async () => {
    const r = await s.request('POST', PODS, pod('p'));
    expect(r.status, r.text).toBe(201);
    const spec = (r.body as unknown as PodBody).spec;
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.serviceAccount).toBe('default');
    expect(spec.volumes?.[0]?.name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(spec.containers[0]?.volumeMounts).toHaveLength(1);
    expect(spec.initContainers[0]?.volumeMounts).toHaveLength(1);
  });

  it('refuses a pod whose ServiceAccount is missing with 403 and stores nothing', async () => {
    const before = await s.listRv(PODS);
    const r = await s.request('POST', PODS, pod('p', { serviceAccountName: 'ghost' }));
    expect(r.status).toBe(403);
    expect(r.body['reason']).toBe('Forbidden');
    expect(r.body['message']).toBe('pods "p" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
    expect(await s.listRv(PODS)).toBe(before);
  });

  it('takes the deprecated spec.serviceAccount as the name', async () => {
    expect((await s.request('POST', SAS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' } })).status).toBe(201);
    const r = await s.request('POST', PODS, pod('p', { serviceAccount: 'builder' }));
    expect(r.status, r.text).toBe(201);
    expect((r.body as unknown as PodBody).spec.serviceAccountName).toBe('builder');
  });

  it('does not let an update change the ServiceAccount', async () => {
    const created = await s.request('POST', PODS, pod('p'));
    const next = structuredClone(created.body) as unknown as PodBody;
    next.spec.serviceAccountName = 'other';
    next.spec.serviceAccount = 'other';
    const r = await s.request('PUT', `${PODS}/p`, next);
    expect(r.status).toBe(422);
    expect(String(r.body['message'])).toContain('pod updates may not change fields other than');
  });
});
