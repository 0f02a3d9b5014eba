import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { PODS, pod } from '../testing/fixtures.js';

const binding = (node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web', namespace: 'default' }, deleteOptions: {} };

describe('pod subresources', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer();
    expect((await s.request('POST', PODS, pod('web'))).status).toBe(201);
  });
  afterEach(async () => { await s.close(); });

  it('binds a pod to a node once: nodeName and PodScheduled=True', async () => {
    const res = await s.request('POST', `${PODS}/web/binding`, binding('node1'));
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Success' });
    const got = (await s.request('GET', `${PODS}/web`)).body as { spec: { nodeName: string }; status: { conditions: Array<{ type: string; status: string }> } };
    expect(got.spec.nodeName).toBe('node1');
    expect(got.status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));

    const before = await s.listRv(PODS);
    const again = await s.request('POST', `${PODS}/web/binding`, binding('node2'));
    expect(again.status).toBe(409);
    expect(again.body['message']).toBe('Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node1"');
    expect(await s.listRv(PODS)).toBe(before);
  });

  it('evicts an unbound pod at once', async () => {
    const res = await s.request('POST', `${PODS}/web/eviction`, eviction);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await s.request('GET', `${PODS}/web`)).status).toBe(404);
  });

  it('evicts a bound pod gracefully (it is terminating)', async () => {
    await s.request('POST', `${PODS}/web/binding`, binding('node1'));
    const res = await s.request('POST', `${PODS}/web/eviction`, eviction);
    expect(res.status).toBe(201);
    const got = await s.request('GET', `${PODS}/web`);
    expect(got.body.metadata!['deletionTimestamp']).toBeTruthy();
    expect(got.body.metadata!['deletionGracePeriodSeconds']).toBe(30);
  });

  it('404s the eviction of a missing pod', async () => {
    const res = await s.request('POST', `${PODS}/nope/eviction`, { ...eviction, metadata: { name: 'nope' } });
    expect(res.status).toBe(404);
  });

  it.each(['log', 'exec', 'attach', 'portforward'])('answers %s with a clear 503 until the node agent serves it', async (sub) => {
    const res = await s.request('GET', `${PODS}/web/${sub}`);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    expect(String(res.body['message'])).toContain(`pods "web" ${sub}`);
    expect((await s.request('GET', `${PODS}/nope/${sub}`)).status).toBe(404);
  });
});
