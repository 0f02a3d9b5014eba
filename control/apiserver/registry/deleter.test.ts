import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../util/clock.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { CONFIGMAPS, DEPLOYMENTS, PODS, configMap, deployment, pod } from '../testing/fixtures.js';

const PROTOBUF = { 'content-type': 'application/vnd.kubernetes.protobuf' };
const fixture = (name: string): Buffer => readFileSync(new URL(`../protobuf/testdata/${name}.pb`, import.meta.url));
const BACKGROUND = { propagationPolicy: 'Background' };

describe('DELETE', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  async function boundPod(name: string): Promise<void> {
    expect((await s.request('POST', PODS, pod(name))).status).toBe(201);
    const b = await s.request('POST', `${PODS}/${name}/binding`, { target: { kind: 'Node', name: 'node1' }, metadata: { name } });
    expect(b.status, b.text).toBe(201);
  }

  it('answers a Status Success for non-pods', async () => {
    const created = await s.request('POST', DEPLOYMENTS, deployment('web'));
    const res = await s.request('DELETE', `${DEPLOYMENTS}/web`, BACKGROUND);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
      details: { name: 'web', group: 'apps', kind: 'deployments', uid: created.body.metadata!['uid'] },
    });
    expect((await s.request('GET', `${DEPLOYMENTS}/web`)).status).toBe(404);
  });

  it('deletes an unbound pod at once and answers the pod', async () => {
    await s.request('POST', PODS, pod('web'));
    const res = await s.request('DELETE', `${PODS}/web`, BACKGROUND);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'Pod', metadata: { name: 'web' } });
    expect((await s.request('GET', `${PODS}/web`)).status).toBe(404);
  });

  it('deletes a bound pod gracefully; gracePeriodSeconds=0 then removes it', async () => {
    await boundPod('web');
    const res = await s.request('DELETE', `${PODS}/web`, BACKGROUND);
    expect(res.status).toBe(202);
    expect(res.body.metadata!['deletionTimestamp']).toBeTruthy();
    expect(res.body.metadata!['deletionGracePeriodSeconds']).toBe(30);
    expect((await s.request('GET', `${PODS}/web`)).status).toBe(200);
    // a second plain delete changes nothing
    const rv = await s.listRv(PODS);
    expect((await s.request('DELETE', `${PODS}/web`)).status).toBe(202);
    expect(await s.listRv(PODS)).toBe(rv);
    const now = await s.request('DELETE', `${PODS}/web?gracePeriodSeconds=0`);
    expect(now.status).toBe(200);
    expect((await s.request('GET', `${PODS}/web`)).status).toBe(404);
  });

  it('accepts a protobuf DeleteOptions body', async () => {
    await boundPod('web');
    const res = await s.request('DELETE', `${PODS}/web`, fixture('deleteoptions-grace'), PROTOBUF);
    expect(res.status, res.text).toBe(202);
    expect(res.body.metadata!['deletionGracePeriodSeconds']).toBe(7);
    await s.request('POST', CONFIGMAPS, configMap('cfg'));
    const plain = await s.request('DELETE', `${CONFIGMAPS}/cfg`, fixture('deleteoptions'), PROTOBUF);
    expect(plain.status, plain.text).toBe(200);
    expect((await s.request('GET', `${CONFIGMAPS}/cfg`)).status).toBe(404);
  });

  it('checks uid and resourceVersion preconditions', async () => {
    const cm = (await s.request('POST', CONFIGMAPS, configMap('cfg'))).body.metadata!;
    const before = await s.listRv(CONFIGMAPS);
    let res = await s.request('DELETE', `${CONFIGMAPS}/cfg`, { preconditions: { uid: 'not-the-uid' } });
    expect(res.status).toBe(409);
    expect(res.body['message']).toBe(`Operation cannot be fulfilled on configmaps "cfg": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${String(cm['uid'])}`);
    res = await s.request('DELETE', `${CONFIGMAPS}/cfg`, { preconditions: { resourceVersion: '1' } });
    expect(res.status).toBe(409);
    expect(res.body['message']).toBe(`Operation cannot be fulfilled on configmaps "cfg": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${String(cm['resourceVersion'])}`);
    expect(await s.listRv(CONFIGMAPS)).toBe(before);
    res = await s.request('DELETE', `${CONFIGMAPS}/cfg`, { preconditions: { uid: cm['uid'], resourceVersion: cm['resourceVersion'] } });
    expect(res.status).toBe(200);
  });

  it('keeps an object with finalizers until an update removes the last one', async () => {
    await s.request('POST', CONFIGMAPS, { ...configMap('cfg'), metadata: { name: 'cfg', finalizers: ['example.com/hold'] } });
    const res = await s.request('DELETE', `${CONFIGMAPS}/cfg`);
    expect(res.status).toBe(202);
    expect(res.body.metadata!['deletionTimestamp']).toBeTruthy();
    expect(res.body.metadata!['deletionGracePeriodSeconds']).toBe(0);
    const held = await s.request('GET', `${CONFIGMAPS}/cfg`);
    expect(held.status).toBe(200);
    // other updates are still allowed while it waits
    const upd = await s.request('PATCH', `${CONFIGMAPS}/cfg`, { data: { k: 'v2' } }, { 'content-type': 'application/merge-patch+json' });
    expect(upd.status, upd.text).toBe(200);
    expect(upd.body.metadata!['deletionTimestamp']).toBe(held.body.metadata!['deletionTimestamp']);
    const fin = await s.request('PATCH', `${CONFIGMAPS}/cfg`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    expect(fin.status, fin.text).toBe(200);
    expect((await s.request('GET', `${CONFIGMAPS}/cfg`)).status).toBe(404);
  });

  it('deletes a collection by label selector', async () => {
    await s.request('POST', CONFIGMAPS, configMap('a', { app: 'x' }));
    await s.request('POST', CONFIGMAPS, configMap('b', { app: 'x' }));
    await s.request('POST', CONFIGMAPS, configMap('c', { app: 'y' }));
    const res = await s.request('DELETE', `${CONFIGMAPS}?labelSelector=app%3Dx`);
    expect(res.status, res.text).toBe(200);
    expect(res.body['kind']).toBe('ConfigMapList');
    const left = (await s.request('GET', CONFIGMAPS)).body['items'] as Array<{ metadata: { name: string } }>;
    expect(left.map((i) => i.metadata.name)).toEqual(['c']);
  });

  it.each(['default', 'kube-system', 'kube-public'])('refuses to delete namespace %s with 403', async (name) => {
    const before = await s.listRv('/api/v1/namespaces');
    const res = await s.request('DELETE', `/api/v1/namespaces/${name}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ reason: 'Forbidden', message: `namespaces "${name}" is forbidden: this namespace may not be deleted` });
    expect(await s.listRv('/api/v1/namespaces')).toBe(before);
  });

  it('404s a missing object and deletes nothing with dryRun=All', async () => {
    expect((await s.request('DELETE', `${CONFIGMAPS}/nope`)).status).toBe(404);
    await s.request('POST', CONFIGMAPS, configMap('cfg'));
    const before = await s.listRv(CONFIGMAPS);
    expect((await s.request('DELETE', `${CONFIGMAPS}/cfg?dryRun=All`)).status).toBe(200);
    expect(await s.listRv(CONFIGMAPS)).toBe(before);
    expect((await s.request('GET', `${CONFIGMAPS}/cfg`)).status).toBe(200);
  });
});

describe('DELETE with an injected clock', () => {
  it('stamps deletionTimestamp from the clock plus the grace period', async () => {
    const s = await startTestServer({ clock: new FakeClock(Date.UTC(2030, 0, 1)) });
    try {
      await s.request('POST', PODS, pod('web', { nodeName: 'node1' }));
      const res = await s.request('DELETE', `${PODS}/web?gracePeriodSeconds=10`);
      expect(res.status).toBe(202);
      expect(res.body.metadata!['creationTimestamp']).toBe('2030-01-01T00:00:00Z');
      expect(res.body.metadata!['deletionTimestamp']).toBe('2030-01-01T00:00:10Z');
    } finally {
      await s.close();
    }
  });
});
