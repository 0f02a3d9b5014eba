import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { CONFIGMAPS, DEPLOYMENTS, PODS, REPLICASETS, configMap, deployment, pod, replicaSet } from '../testing/fixtures.js';

interface Owner { apiVersion: string; kind: string; name: string; uid: string }
const ownedBy = (obj: KubeObject, owner: Owner, block = true): KubeObject => ({
  ...obj, metadata: { ...obj.metadata, ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: block }] },
});

describe('GarbageCollector', () => {
  let s: TestServer;
  let dep: Owner;
  let rs: Owner;
  beforeEach(async () => {
    s = await startTestServer({ controllers: true });
    const d = await s.request('POST', DEPLOYMENTS, deployment('web'));
    dep = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: String(d.body.metadata!['uid']) };
    const r = await s.request('POST', REPLICASETS, ownedBy(replicaSet('web-abc'), dep));
    expect(r.status, r.text).toBe(201);
    rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: String(r.body.metadata!['uid']) };
    for (const name of ['web-abc-1', 'web-abc-2']) {
      expect((await s.request('POST', PODS, ownedBy(pod(name), rs))).status).toBe(201);
    }
  });
  afterEach(async () => { await s.close(); });

  const gone = (url: string) => eventually(async () => { expect((await s.request('GET', url)).status).toBe(404); });
  const podNames = async () => ((await s.request('GET', PODS)).body['items'] as KubeObject[]).map((p) => p.metadata?.name);

  it('deletes dependents in the background once the owner is gone', async () => {
    const res = await s.request('DELETE', `${DEPLOYMENTS}/web`, { propagationPolicy: 'Background' });
    expect(res.status).toBe(200);
    await gone(`${REPLICASETS}/web-abc`);
    await eventually(async () => expect(await podNames()).toEqual([]));
  });

  it('deletes dependents first in the foreground, then the owner', async () => {
    const res = await s.request('DELETE', `${DEPLOYMENTS}/web`, { propagationPolicy: 'Foreground' });
    expect(res.status).toBe(202);
    expect(res.body.metadata!['deletionTimestamp']).toBeTruthy();
    expect(res.body.metadata!['finalizers']).toEqual(['foregroundDeletion']);
    // the owner waits for its blocking dependents
    const seen: string[] = [];
    await eventually(async () => {
      const d = await s.request('GET', `${DEPLOYMENTS}/web`);
      const r = await s.request('GET', `${REPLICASETS}/web-abc`);
      seen.push(`${d.status}/${r.status}`);
      expect(d.status).toBe(404);
    });
    expect(seen).not.toContain('404/200');
    expect(await podNames()).toEqual([]);
    expect((await s.request('GET', `${REPLICASETS}/web-abc`)).status).toBe(404);
  });

  it('orphans dependents: they stay without the ownerReference, the owner goes', async () => {
    const res = await s.request('DELETE', `${REPLICASETS}/web-abc`, { propagationPolicy: 'Orphan' });
    expect(res.status).toBe(202);
    await gone(`${REPLICASETS}/web-abc`);
    for (const name of ['web-abc-1', 'web-abc-2']) {
      const p = await s.request('GET', `${PODS}/${name}`);
      expect(p.status).toBe(200);
      expect(p.body.metadata!['ownerReferences']).toBeUndefined();
      expect(p.body.metadata!['deletionTimestamp']).toBeUndefined();
    }
  });

  it('drops a dangling reference when another owner is alive', async () => {
    const missing: Owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' };
    const cm = configMap('shared');
    cm.metadata = { ...cm.metadata, ownerReferences: [{ ...dep }, { ...missing }] };
    expect((await s.request('POST', CONFIGMAPS, cm)).status).toBe(201);
    await eventually(async () => {
      const got = await s.request('GET', `${CONFIGMAPS}/shared`);
      expect(got.status).toBe(200);
      expect(got.body.metadata!['ownerReferences']).toEqual([dep]);
    });
  });

  it('deletes an object whose only owner never existed', async () => {
    const cm = configMap('orphaned');
    cm.metadata = { ...cm.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '11111111-1111-1111-1111-111111111111' }] };
    expect((await s.request('POST', CONFIGMAPS, cm)).status).toBe(201);
    await gone(`${CONFIGMAPS}/orphaned`);
  });

  it('keeps a dependent that has another, valid owner when one owner is deleted in the foreground: only that reference goes', async () => {
    const other = await s.request('POST', CONFIGMAPS, configMap('keeper'));
    const keeper: Owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: String(other.body.metadata!['uid']) };
    const shared = pod('shared');
    shared.metadata = { ...shared.metadata, ownerReferences: [{ ...rs, controller: true, blockOwnerDeletion: true }, { ...keeper, blockOwnerDeletion: true }] };
    expect((await s.request('POST', PODS, shared)).status).toBe(201);
    expect((await s.request('DELETE', `${REPLICASETS}/web-abc`, { propagationPolicy: 'Foreground' })).status).toBe(202);
    await gone(`${REPLICASETS}/web-abc`);
    const left = await s.request('GET', `${PODS}/shared`);
    expect(left.status).toBe(200);
    expect(left.body.metadata!['ownerReferences']).toEqual([{ ...keeper, blockOwnerDeletion: true }]);
    expect(await podNames()).toEqual(['shared']);
  });

  it('is not blocked by a dependency circle: deleting one of three pods that own each other in a ring deletes all three', async () => {
    const made: Record<string, Owner> = {};
    for (const name of ['ring-1', 'ring-2', 'ring-3']) {
      const r = await s.request('POST', PODS, pod(name));
      made[name] = { apiVersion: 'v1', kind: 'Pod', name, uid: String(r.body.metadata!['uid']) };
    }
    // ring-1 is owned by ring-3, ring-2 by ring-1, ring-3 by ring-2 (upstream's spec)
    for (const [name, owner] of [['ring-1', 'ring-3'], ['ring-2', 'ring-1'], ['ring-3', 'ring-2']] as const) {
      const r = await s.request('PATCH', `${PODS}/${name}`, { metadata: { ownerReferences: [{ ...made[owner], blockOwnerDeletion: true }] } }, { 'content-type': 'application/merge-patch+json' });
      expect(r.status, r.text).toBe(200);
    }
    expect((await s.request('DELETE', `${PODS}/ring-1`, { propagationPolicy: 'Foreground' })).status).toBe(202);
    await eventually(async () => expect((await podNames()).filter((n) => n?.startsWith('ring-'))).toEqual([]), { timeoutMs: 20_000 });
  });
});
