import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../testing/test-server.js';
import type { TestServer } from '../../testing/test-server.js';

const NS = '/api/v1/namespaces/default';
const APPS = '/apis/apps/v1/namespaces/default';
const MERGE = { 'content-type': 'application/merge-patch+json' };
const SMP = { 'content-type': 'application/strategic-merge-patch+json' };
type Body = Record<string, unknown>;
const causes = (b: Body): string[] => ((b['details'] as { causes?: Array<{ field: string; message: string }> }).causes ?? []).map((c) => `${c.field}: ${c.message}`);

const sts = (name: string, extra: Body = {}): Body => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
  spec: {
    serviceName: 'web', selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'tinykube/web:1' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    ...extra,
  },
});
const pvc = (name: string, spec: Body = {}): Body => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const sc = (name: string, annotations: Record<string, string> = {}): Body => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, annotations }, provisioner: 'tinykube.io/local-path',
});

describe('stateful kinds through the API', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  it('serves them in discovery with upstream short names and subresources', async () => {
    const core = (await s.request('GET', '/api/v1')).body['resources'] as Array<{ name: string; shortNames?: string[] }>;
    expect(core.find((r) => r.name === 'persistentvolumes')?.shortNames).toEqual(['pv']);
    expect(core.map((r) => r.name)).toEqual(expect.arrayContaining(['persistentvolumes/status', 'persistentvolumeclaims/status']));
    const apps = (await s.request('GET', '/apis/apps/v1')).body['resources'] as Array<{ name: string; categories?: string[] }>;
    expect(apps.map((r) => r.name)).toEqual(expect.arrayContaining(['statefulsets', 'statefulsets/scale', 'statefulsets/status', 'controllerrevisions']));
    expect(apps.find((r) => r.name === 'statefulsets')?.categories).toEqual(['all']);
    expect((await s.request('GET', '/apis/policy/v1')).body['resources']).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'poddisruptionbudgets', shortNames: ['pdb'] })]));
    expect((await s.request('GET', '/apis/storage.k8s.io/v1')).body['resources']).toEqual([expect.objectContaining({ name: 'storageclasses', shortNames: ['sc'], namespaced: false })]);
  });

  it('defaults a StatefulSet, starts its status at zero and bumps generation on spec changes only', async () => {
    const created = await s.request('POST', `${APPS}/statefulsets`, sts('web'));
    expect(created.status, created.text).toBe(201);
    const spec = created.body['spec'] as Body;
    expect(spec).toMatchObject({
      replicas: 1, revisionHistoryLimit: 10, podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect((spec['volumeClaimTemplates'] as Body[])[0]).toMatchObject({ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    expect(created.body['status']).toEqual({ replicas: 0, availableReplicas: 0 });
    expect((created.body['metadata'] as Body)['generation']).toBe(1);
    const st = await s.request('PATCH', `${APPS}/statefulsets/web/status`, { status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 } }, MERGE);
    expect(st.status, st.text).toBe(200);
    expect((st.body['metadata'] as Body)['generation']).toBe(1);
    const bad = await s.request('PATCH', `${APPS}/statefulsets/web/status`, { status: { readyReplicas: 5 } }, MERGE);
    expect(bad.status).toBe(422);
    expect(causes(bad.body)).toContain('status.readyReplicas: Invalid value: 5: cannot be greater than status.replicas');
  });

  it('scales a StatefulSet through /scale and refuses changes to fixed spec fields', async () => {
    expect((await s.request('POST', `${APPS}/statefulsets`, sts('web'))).status).toBe(201);
    const scale = await s.request('GET', `${APPS}/statefulsets/web/scale`);
    expect(scale.body).toMatchObject({ kind: 'Scale', spec: { replicas: 1 }, status: { replicas: 0, selector: 'app=web' } });
    const scaled = await s.request('PATCH', `${APPS}/statefulsets/web/scale`, { spec: { replicas: 3 } }, MERGE);
    expect(scaled.status, scaled.text).toBe(200);
    const cur = (await s.request('GET', `${APPS}/statefulsets/web`)).body;
    expect(cur).toMatchObject({ spec: { replicas: 3 }, metadata: { generation: 2 } });
    const renamed = await s.request('PATCH', `${APPS}/statefulsets/web`, { spec: { serviceName: 'other' } }, MERGE);
    expect(renamed.status).toBe(422);
    expect(renamed.body['message']).toBe('StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than '
      + "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    const image = await s.request('PATCH', `${APPS}/statefulsets/web`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'tinykube/web:2' }] } } } }, SMP);
    expect(image.status, image.text).toBe(200);
  });

  it('refuses a StatefulSet whose selector does not match its template', async () => {
    const res = await s.request('POST', `${APPS}/statefulsets`, sts('web', { selector: { matchLabels: { app: 'other' } } }));
    expect(res.status).toBe(422);
    expect(causes(res.body)).toEqual(['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']);
  });

  it('creates PVs Pending with Retain and keeps the volume source fixed', async () => {
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' } } };
    const created = await s.request('POST', '/api/v1/persistentvolumes', pv);
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ spec: { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', hostPath: { path: '/tmp/pv1', type: '' } }, status: { phase: 'Pending' } });
    const t0 = (created.body['status'] as Body)['lastPhaseTransitionTime'];
    expect(typeof t0).toBe('string');
    const moved = await s.request('PATCH', '/api/v1/persistentvolumes/pv1', { spec: { hostPath: { path: '/tmp/elsewhere' } } }, MERGE);
    expect(moved.status).toBe(422);
    expect(causes(moved.body)[0]).toMatch(/^spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation/);
    const avail = await s.request('PATCH', '/api/v1/persistentvolumes/pv1/status', { status: { phase: 'Available' } }, MERGE);
    expect(avail.status, avail.text).toBe(200);
    expect(avail.body['status']).toMatchObject({ phase: 'Available' });
  });

  it('refuses a local PV without node affinity and a PV with two sources', async () => {
    const res = await s.request('POST', '/api/v1/persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'l' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/a' }, hostPath: { path: '/mnt/b' } } });
    expect(res.status).toBe(422);
    expect(causes(res.body)).toEqual(['spec.local: Forbidden: may not specify more than 1 volume type']);
    const local = await s.request('POST', '/api/v1/persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'l' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/a' } } });
    expect(causes(local.body)).toEqual(['spec.nodeAffinity: Required value: Local volume requires node affinity']);
  });

  it('gives a claim without a class the default StorageClass, and none when there is no default', async () => {
    const classes = '/apis/storage.k8s.io/v1/storageclasses';
    // the server may have made its own default class at bootstrap; start from none
    for (const item of ((await s.request('GET', classes)).body['items'] as Body[])) {
      expect((await s.request('DELETE', `${classes}/${String((item['metadata'] as Body)['name'])}`)).status).toBe(200);
    }
    expect((await s.request('POST', classes, sc('slow'))).status).toBe(201);
    const noDefault = await s.request('POST', `${NS}/persistentvolumeclaims`, pvc('a'));
    expect(noDefault.status, noDefault.text).toBe(201);
    expect((noDefault.body['spec'] as Body)['storageClassName']).toBeUndefined();
    expect(noDefault.body['status']).toEqual({ phase: 'Pending' });
    const def = await s.request('POST', classes, sc('first-default', { 'storageclass.kubernetes.io/is-default-class': 'true' }));
    expect(def.body).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    expect(((await s.request('POST', `${NS}/persistentvolumeclaims`, pvc('b'))).body['spec'] as Body)['storageClassName']).toBe('first-default');
    expect(((await s.request('POST', `${NS}/persistentvolumeclaims`, pvc('c', { storageClassName: '' }))).body['spec'] as Body)['storageClassName']).toBe('');
  });

  it('keeps a claim spec fixed except a bound claim growing, and refuses shrinking', async () => {
    expect((await s.request('POST', `${NS}/persistentvolumeclaims`, pvc('data'))).status).toBe(201);
    const bind = await s.request('PATCH', `${NS}/persistentvolumeclaims/data`, { spec: { volumeName: 'pv1' } }, MERGE);
    expect(bind.status, bind.text).toBe(200);
    const grow = await s.request('PATCH', `${NS}/persistentvolumeclaims/data`, { spec: { resources: { requests: { storage: '2Gi' } } } }, MERGE);
    expect(grow.status).toBe(422);
    expect(causes(grow.body)[0]).toMatch(/^spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n/);
    expect((await s.request('PATCH', `${NS}/persistentvolumeclaims/data/status`, { status: { phase: 'Bound' } }, MERGE)).status).toBe(200);
    expect((await s.request('PATCH', `${NS}/persistentvolumeclaims/data`, { spec: { resources: { requests: { storage: '2Gi' } } } }, MERGE)).status).toBe(200);
    const shrink = await s.request('PATCH', `${NS}/persistentvolumeclaims/data`, { spec: { resources: { requests: { storage: '1Gi' } } } }, MERGE);
    expect(causes(shrink.body)).toEqual(['spec.resources.requests.storage: Forbidden: field can not be less than previous value']);
  });

  it('refuses a claim without access modes or a storage request', async () => {
    const res = await s.request('POST', `${NS}/persistentvolumeclaims`, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'x' }, spec: {} });
    expect(causes(res.body)).toEqual(['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
  });

  it('keeps a StorageClass provisioner and parameters fixed', async () => {
    expect((await s.request('POST', '/apis/storage.k8s.io/v1/storageclasses', sc('x'))).status).toBe(201);
    const res = await s.request('PATCH', '/apis/storage.k8s.io/v1/storageclasses/x', { provisioner: 'other.io/p', parameters: { a: 'b' } }, MERGE);
    expect(causes(res.body)).toEqual(['parameters: Forbidden: updates to parameters are forbidden.', 'provisioner: Forbidden: updates to provisioner are forbidden.']);
    expect((await s.request('PATCH', '/apis/storage.k8s.io/v1/storageclasses/x', { allowVolumeExpansion: true }, MERGE)).status).toBe(200);
  });

  it('creates PDBs with a zero status and refuses minAvailable with maxUnavailable', async () => {
    const base = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' } };
    const ok = await s.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { ...base, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body['status']).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    const both = await s.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { ...base, metadata: { name: 'q' }, spec: { minAvailable: 1, maxUnavailable: '10%' } });
    expect(both.status).toBe(422);
    expect(causes(both.body)[0]).toMatch(/^spec: Invalid value: policy.PodDisruptionBudgetSpec\{.*\}: minAvailable and maxUnavailable cannot be both set$/);
    const pct = await s.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { ...base, metadata: { name: 'r' }, spec: { maxUnavailable: '150%' } });
    expect(causes(pct.body)).toEqual(['spec.maxUnavailable: Invalid value: 150%: must not be greater than 100%']);
  });

  it('merges PDB status conditions by type in a strategic merge patch', async () => {
    const base = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: 1 } };
    expect((await s.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', base)).status).toBe(201);
    const cond = (type: string, status: string) => ({ type, status, reason: 'R', message: '', lastTransitionTime: '2024-01-01T00:00:00Z' });
    const url = '/apis/policy/v1/namespaces/default/poddisruptionbudgets/p/status';
    expect((await s.request('PATCH', url, { status: { conditions: [cond('DisruptionAllowed', 'True'), cond('Other', 'True')] } }, SMP)).status).toBe(200);
    const res = await s.request('PATCH', url, { status: { disruptionsAllowed: 1, conditions: [cond('DisruptionAllowed', 'False')] } }, SMP);
    expect(res.status, res.text).toBe(200);
    expect((res.body['status'] as { conditions: Array<{ type: string; status: string }> }).conditions.map((c) => `${c.type}=${c.status}`))
      .toEqual(['DisruptionAllowed=False', 'Other=True']);
  });

  it('keeps ControllerRevision data fixed', async () => {
    const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-1' }, data: { spec: { a: 1 } }, revision: 1 };
    expect((await s.request('POST', `${APPS}/controllerrevisions`, cr)).status).toBe(201);
    const res = await s.request('PATCH', `${APPS}/controllerrevisions/web-1`, { data: { spec: { a: 2 } } }, MERGE);
    expect(res.status).toBe(422);
    expect(causes(res.body)[0]).toMatch(/^data: Invalid value: .*: field is immutable$/);
    const missing = await s.request('POST', `${APPS}/controllerrevisions`, { ...cr, metadata: { name: 'web-2' }, data: undefined });
    expect(causes(missing.body)).toEqual(['data: Required value: data is mandatory']);
  });
});
