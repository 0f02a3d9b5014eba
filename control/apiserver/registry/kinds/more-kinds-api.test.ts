import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../testing/test-server.js';
import type { TestServer } from '../../testing/test-server.js';

const INGRESSES = '/apis/networking.k8s.io/v1/namespaces/default/ingresses';
const EVENTS_V1 = '/apis/events.k8s.io/v1/namespaces/default/events';
const CORE_EVENTS = '/api/v1/namespaces/default/events';
const MERGE = { 'content-type': 'application/merge-patch+json' };
const STRATEGIC = { 'content-type': 'application/strategic-merge-patch+json' };
const backend = { service: { name: 'web', port: { number: 80 } } };
const event = (name: string) => ({
  apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name, labels: { set: 'a' } }, eventTime: '2017-09-19T13:49:16.000000Z',
  regarding: { namespace: 'default' }, note: `This is ${name}`, action: 'Do', reason: 'Test', type: 'Normal',
  reportingController: 'test-controller', reportingInstance: 'test-node',
});

describe('the served kinds beyond the core ones', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  it('Ingress: status dropped on create, /status takes the status and metadata but never the spec', async () => {
    const created = await s.request('POST', INGRESSES, { metadata: { name: 'i' }, spec: { defaultBackend: backend }, status: { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } } });
    expect(created.status, created.text).toBe(201);
    expect(created.body['status']).toBeUndefined();
    expect(created.body.metadata?.['generation']).toBe(1);
    const patch = { metadata: { annotations: { patchedstatus: 'true' } }, spec: { ingressClassName: 'x' }, status: { loadBalancer: { ingress: [{ ip: '169.1.1.1' }] } } };
    const st = await s.request('PATCH', `${INGRESSES}/i/status`, patch, MERGE);
    expect(st.status, st.text).toBe(200);
    expect(st.body.metadata?.['annotations']).toEqual({ patchedstatus: 'true' });
    expect(st.body['status']).toEqual({ loadBalancer: { ingress: [{ ip: '169.1.1.1' }] } });
    expect(st.body['spec']).toEqual({ defaultBackend: backend });
    const bad = await s.request('POST', INGRESSES, { metadata: { name: 'j' }, spec: {} });
    expect(bad.status).toBe(422);
    expect(bad.body['message']).toMatch(/^Ingress.networking.k8s.io "j" is invalid: spec: Invalid value/);
  });

  it('events.k8s.io/v1 Events are the core Events under other field names', async () => {
    expect((await s.request('POST', EVENTS_V1, event('e1'))).status).toBe(201);
    const core = await s.request('GET', `${CORE_EVENTS}/e1`);
    expect(core.body).toMatchObject({ apiVersion: 'v1', message: 'This is e1', reportingComponent: 'test-controller', involvedObject: { namespace: 'default' } });
    const bySource = await s.request('GET', `${CORE_EVENTS}?fieldSelector=source%3Dtest-controller`);
    expect((bySource.body['items'] as unknown[]).length).toBe(1);
    const list = await s.request('GET', `${EVENTS_V1}?fieldSelector=reportingController%3Dtest-controller`);
    expect(list.body).toMatchObject({ kind: 'EventList', apiVersion: 'events.k8s.io/v1', items: [{ note: 'This is e1' }] });
    const got = await s.request('GET', `${EVENTS_V1}/e1`);
    const patched = await s.request('PATCH', `${EVENTS_V1}/e1`, { note: 'patched' }, STRATEGIC);
    expect(patched.status, patched.text).toBe(200);
    const again = await s.request('GET', `${EVENTS_V1}/e1`);
    const strip = (o: Record<string, unknown>) => ({ ...o, metadata: { ...(o['metadata'] as object), resourceVersion: '' } });
    expect(strip(again.body)).toEqual(strip({ ...got.body, note: 'patched' }));
    const refused = await s.request('POST', EVENTS_V1, { ...event('e2'), eventTime: undefined });
    expect(refused.status).toBe(422);
    expect(refused.body['message']).toBe('Event.events.k8s.io "e2" is invalid: eventTime: Required value');
  });

  it('deletecollection of events.k8s.io Events and of PodTemplates by label', async () => {
    for (const n of ['a', 'b']) expect((await s.request('POST', EVENTS_V1, event(n))).status).toBe(201);
    expect((await s.request('DELETE', `${EVENTS_V1}?labelSelector=set%3Da`)).status).toBe(200);
    expect((await s.request('GET', `${EVENTS_V1}?labelSelector=set%3Da`)).body['items']).toEqual([]);
    const PT = '/api/v1/namespaces/default/podtemplates';
    const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const pt = await s.request('POST', PT, { metadata: { name: 'pt', labels: { set: 'b' } }, template });
    expect(pt.status, pt.text).toBe(201);
    expect(pt.body['template']).toMatchObject({ spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } });
    expect((await s.request('DELETE', `${PT}?labelSelector=set%3Db`)).status).toBe(200);
    expect((await s.request('GET', PT)).body['items']).toEqual([]);
  });
});
