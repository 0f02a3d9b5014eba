import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import type { KubeObject } from '../api/object.js';
import { findResource } from '../api/resources.js';
import { ApiError } from '../api/status.js';
import { RestClient, resourcePath } from './rest-client.js';
import { FakeTransport } from './testing/fake-transport.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const CSRS = findResource('certificates.k8s.io', 'v1', 'certificatesigningrequests')!;
const pod = (name: string, extra: KubeObject = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, ...extra });
const notFoundStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: 'pods "web" not found', code: 404 };

function setup(opts: { fieldManager?: string } = {}): { t: FakeTransport; c: RestClient } {
  const t = new FakeTransport();
  return { t, c: new RestClient(t, opts) };
}

describe('resourcePath', () => {
  it.each([
    ['a namespaced core resource', PODS, 'default', 'web', undefined, '/api/v1/namespaces/default/pods/web'],
    ['a collection across namespaces', PODS, undefined, undefined, undefined, '/api/v1/pods'],
    ['a namespaced collection', PODS, 'kube-system', undefined, undefined, '/api/v1/namespaces/kube-system/pods'],
    ['a grouped resource', DEPLOYMENTS, 'ns1', 'web', undefined, '/apis/apps/v1/namespaces/ns1/deployments/web'],
    ['a cluster-scoped resource ignores the namespace', NODES, 'default', 'n1', undefined, '/api/v1/nodes/n1'],
    ['a subresource', PODS, 'default', 'web', 'status', '/api/v1/namespaces/default/pods/web/status'],
    ['a cluster-scoped subresource', CSRS, undefined, 'csr-1', 'approval', '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1/approval'],
    ['an escaped name', CSRS, undefined, 'system:node:n1', undefined, '/apis/certificates.k8s.io/v1/certificatesigningrequests/system%3Anode%3An1'],
  ])('%s', (_what, ri, ns, name, sub, want) => {
    expect(resourcePath(ri, ns, name, sub)).toBe(want);
  });
});

describe('RestClient requests', () => {
  it('get: GET on the object path (and a subresource), no body', async () => {
    const { t, c } = setup();
    t.answer(200, pod('web'));
    expect(await c.get(PODS, 'default', 'web')).toEqual(pod('web'));
    await c.get(PODS, 'default', 'web', 'status');
    expect(t.requests.map((r) => [r.method, r.path, r.body, r.headers])).toEqual([
      ['GET', '/api/v1/namespaces/default/pods/web', undefined, {}],
      ['GET', '/api/v1/namespaces/default/pods/web/status', undefined, {}],
    ]);
  });

  it('list: selectors and resourceVersion go in the query (escaped, empty ones left out); items get apiVersion and kind', async () => {
    const { t, c } = setup();
    t.answer(200, { kind: 'PodList', metadata: { resourceVersion: '42' }, items: [{ metadata: { name: 'a', namespace: 'default' } }] });
    const l = await c.list(PODS, 'default', { labelSelector: 'app=web,tier in (a,b)', fieldSelector: 'spec.nodeName=n1', resourceVersion: '' });
    const r = t.requests[0]!;
    expect(r.pathname).toBe('/api/v1/namespaces/default/pods');
    expect(r.path).toBe('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb%2Ctier%20in%20(a%2Cb)&fieldSelector=spec.nodeName%3Dn1');
    expect(Object.fromEntries(r.query)).toEqual({ labelSelector: 'app=web,tier in (a,b)', fieldSelector: 'spec.nodeName=n1' });
    expect(l).toEqual({ resourceVersion: '42', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default' } }] });
  });

  it('list: no query without options; a list without items or resourceVersion is empty at "0"', async () => {
    const { t, c } = setup();
    t.answer(200, { kind: 'DeploymentList' });
    expect(await c.list(DEPLOYMENTS)).toEqual({ items: [], resourceVersion: '0' });
    expect(t.requests[0]!.path).toBe('/apis/apps/v1/deployments');
  });

  it('create: POST of the JSON body, with the field manager when configured', async () => {
    const { t, c } = setup({ fieldManager: 'kube-scheduler' });
    t.answer(201, pod('web', { metadata: { name: 'web', namespace: 'default', uid: 'u1' } }));
    const made = await c.create(PODS, 'default', pod('web'));
    expect(made.metadata?.uid).toBe('u1');
    expect(t.requests[0]).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/default/pods?fieldManager=kube-scheduler', body: pod('web'), headers: { 'Content-Type': 'application/json' } });
  });

  it('update: PUT on the path taken from the object (status subresource when asked), carrying its resourceVersion', async () => {
    const { t, c } = setup();
    const obj = pod('web', { metadata: { name: 'web', namespace: 'default', resourceVersion: '7' } });
    await c.update(PODS, obj);
    await c.update(PODS, obj, { subresource: 'status' });
    expect(t.requests.map((r) => [r.method, r.path])).toEqual([
      ['PUT', '/api/v1/namespaces/default/pods/web'], ['PUT', '/api/v1/namespaces/default/pods/web/status'],
    ]);
    expect(t.requests[0]!.body).toMatchObject({ metadata: { resourceVersion: '7' } });
  });

  it.each([
    ['merge', 'application/merge-patch+json'],
    ['strategic', 'application/strategic-merge-patch+json'],
    ['json', 'application/json-patch+json'],
  ] as const)('patch %s: PATCH with content type %s', async (type, contentType) => {
    const { t, c } = setup();
    const body = type === 'json' ? [{ op: 'replace', path: '/spec/replicas', value: 3 }] : { spec: { replicas: 3 } };
    await c.patch(DEPLOYMENTS, 'ns1', 'web', type, body, { subresource: 'scale' });
    expect(t.requests[0]).toMatchObject({ method: 'PATCH', path: '/apis/apps/v1/namespaces/ns1/deployments/web/scale', body, headers: { 'Content-Type': contentType } });
  });

  it('delete: DELETE with a DeleteOptions body', async () => {
    const { t, c } = setup();
    await c.delete(PODS, 'default', 'web', { gracePeriodSeconds: 0, propagationPolicy: 'Foreground' });
    expect(t.requests[0]).toMatchObject({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/web',
      body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, propagationPolicy: 'Foreground' } });
  });

  it('bind: POST of a Binding to pods/<name>/binding', async () => {
    const { t, c } = setup();
    await c.bind(PODS, 'default', 'web', 'node-a', 'u1');
    expect(t.requests[0]).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/default/pods/web/binding', body: {
      kind: 'Binding', apiVersion: 'v1', metadata: { name: 'web', namespace: 'default', uid: 'u1' }, target: { kind: 'Node', apiVersion: 'v1', name: 'node-a' },
    } });
  });
});

describe('RestClient errors', () => {
  it('a Status body becomes an ApiError carrying it, with the HTTP status as its code', async () => {
    const { t, c } = setup();
    t.answer(404, { ...notFoundStatus, code: 0 });
    const err = await c.get(PODS, 'default', 'web').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "web" not found', status: { kind: 'Status', status: 'Failure' } });
  });

  it.each([
    ['a non-JSON body', 502, 'Bad Gateway'],
    ['JSON that is not a Status', 500, { oops: true }],
  ])('%s becomes an InternalError naming the request', async (_what, status, body) => {
    const { t, c } = setup();
    t.answer(status, body);
    await expect(c.create(PODS, 'default', pod('web'))).rejects.toMatchObject({
      code: status, reason: 'InternalError', message: expect.stringContaining(`POST /api/v1/namespaces/default/pods: unexpected answer ${status}`) as unknown,
    });
  });

  it('a 2xx with an empty body resolves to undefined', async () => {
    const { t, c } = setup();
    t.answer(200, '');
    await expect(c.delete(PODS, 'default', 'web')).resolves.toBeUndefined();
  });
});

describe('RestClient.watch', () => {
  const lines = (...evs: unknown[]) => Readable.from(evs.map((e) => Buffer.from(JSON.stringify(e) + '\n')));

  it('opens the collection with watch=true, bookmarks and the options in the query, and yields the events', async () => {
    const { t, c } = setup();
    t.answerStream(200, lines({ type: 'ADDED', object: pod('a') }, { type: 'BOOKMARK', object: { kind: 'Pod', metadata: { resourceVersion: '9' } } }));
    const got: string[] = [];
    for await (const ev of c.watch(PODS, 'default', { resourceVersion: '5', labelSelector: 'app=web', timeoutSeconds: 30 }, new AbortController().signal)) got.push(ev.type);
    expect(got).toEqual(['ADDED', 'BOOKMARK']);
    expect(t.requests[0]!.pathname).toBe('/api/v1/namespaces/default/pods');
    expect(Object.fromEntries(t.requests[0]!.query)).toEqual({ watch: 'true', allowWatchBookmarks: 'true', resourceVersion: '5', labelSelector: 'app=web', timeoutSeconds: '30' });
  });

  it('a refused watch throws the Status as an ApiError (410 Gone tells the informer to relist)', async () => {
    const { t, c } = setup();
    t.answerStream(410, lines({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', message: 'too old resource version: 1 (5)', code: 410 }));
    const it = c.watch(PODS, undefined, { resourceVersion: '1' }, new AbortController().signal)[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toMatchObject({ code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' });
  });

  it('a refused watch without a Status body throws an InternalError with the status code', async () => {
    const { t, c } = setup();
    t.answerStream(503, Readable.from([Buffer.from('upstream down')]));
    const it = c.watch(PODS, undefined, {}, new AbortController().signal)[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toMatchObject({ code: 503, reason: 'InternalError' });
  });
});
