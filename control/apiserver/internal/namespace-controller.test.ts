import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/helpers/eventually.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { configMap, deployment, pod, service } from '../testing/fixtures.js';

const NS = '/api/v1/namespaces';

describe('NamespaceController', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer({ controllers: true }); });
  afterEach(async () => { await s.close(); });

  it('empties a deleted namespace, then removes it', async () => {
    const created = await s.request('POST', NS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    expect(created.status).toBe(201);
    expect(created.body['status']).toEqual({ phase: 'Active' });
    expect(created.body['spec']).toEqual({ finalizers: ['kubernetes'] });
    expect(created.body.metadata!['labels']).toEqual({ 'kubernetes.io/metadata.name': 'dev' });
    for (const [url, obj] of [
      [`${NS}/dev/pods`, pod('web')], [`${NS}/dev/configmaps`, configMap('cfg')],
      [`${NS}/dev/services`, service('web', { type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] })],
      ['/apis/apps/v1/namespaces/dev/deployments', deployment('web')],
    ] as const) {
      const r = await s.request('POST', url, obj);
      expect(r.status, r.text).toBe(201);
    }

    const del = await s.request('DELETE', `${NS}/dev`, { propagationPolicy: 'Background' });
    expect(del.status).toBe(202);
    expect(del.body['status']).toMatchObject({ phase: 'Terminating' });
    expect(del.body.metadata!['deletionTimestamp']).toBeTruthy();

    await eventually(async () => { expect((await s.request('GET', `${NS}/dev`)).status).toBe(404); });
    for (const url of [`${NS}/dev/pods`, `${NS}/dev/configmaps`, `${NS}/dev/services`, '/apis/apps/v1/namespaces/dev/deployments']) {
      expect((await s.request('GET', url)).body['items'], url).toEqual([]);
    }
    // the service's nodePort went back to the pool
    expect((await s.request('POST', `${NS}/default/services`, service('again', { type: 'NodePort', ports: [{ port: 80, nodePort: 30500 }] }))).status).toBe(201);
    // and the name can be used again
    expect((await s.request('POST', NS, { metadata: { name: 'dev' } })).status).toBe(201);
  });

  it('finishes an empty namespace at once', async () => {
    await s.request('POST', NS, { metadata: { name: 'empty' } });
    expect((await s.request('DELETE', `${NS}/empty`)).status).toBe(202);
    await eventually(async () => { expect((await s.request('GET', `${NS}/empty`)).status).toBe(404); });
  });

  it('does not let a Terminating namespace be revived by an update', async () => {
    await s.request('POST', NS, { metadata: { name: 'stuck' } });
    await s.request('POST', `${NS}/stuck/configmaps`, { ...configMap('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await s.request('DELETE', `${NS}/stuck`);
    const put = await s.request('PATCH', `${NS}/stuck`, { spec: { finalizers: [] } }, { 'content-type': 'application/merge-patch+json' });
    expect(put.status, put.text).toBe(200);
    expect(put.body['spec']).toEqual({ finalizers: ['kubernetes'] });
    // the held object keeps the namespace until its finalizer goes
    await eventually(async () => {
      const cm = await s.request('GET', `${NS}/stuck/configmaps/held`);
      expect(cm.body.metadata!['deletionTimestamp']).toBeTruthy();
    });
    expect((await s.request('GET', `${NS}/stuck`)).status).toBe(200);
    await s.request('PATCH', `${NS}/stuck/configmaps/held`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    await eventually(async () => { expect((await s.request('GET', `${NS}/stuck`)).status).toBe(404); }, { timeoutMs: 4000 });
  });
});
