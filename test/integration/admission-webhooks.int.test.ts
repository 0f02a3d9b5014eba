/**
 * Dynamic admission webhooks end to end with an in-process API server and a real HTTPS webhook
 * server on 127.0.0.1 (its certificate from a throwaway CA given as caBundle): a validating webhook
 * denies ConfigMaps with a marker value (create, update and delete), a mutating webhook patches
 * them, a slow webhook times out (Fail refuses, Ignore lets the request through), a wrong uid is a
 * call failure, and webhook configurations themselves are never sent to webhooks.
 */
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from '../../control/pki/create-ca.js';
import { issueServingCert } from '../../control/pki/issue-cert.js';
import { startTestServer } from '../../control/apiserver/testing/test-server.js';
import type { TestServer } from '../../control/apiserver/testing/test-server.js';
import { httpsTransport } from '../../control/apiserver/admission-webhooks/webhook-transport.js';

interface Review { request: { uid: string; operation: string; object?: { data?: Record<string, string>; metadata?: { name?: string } } | null; oldObject?: { metadata?: { name?: string } } | null; userInfo?: { username?: string }; kind?: { kind?: string } } }

const seen: Review[] = [];
let server: ReturnType<typeof createServer>;
let base = '';
let caBundle = '';
let ca = '';
let api: TestServer;

function answer(res: ServerResponse, review: Review, response: Record<string, unknown>): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, ...response } }));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Review;
    seen.push(review);
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const data = review.request.object?.data ?? (review.request.oldObject as { data?: Record<string, string> } | null)?.data ?? {};
    if (path === '/validate') {
      if (data['webhook-e2e-test'] === 'webhook-disallow') {
        answer(res, review, { allowed: false, status: { code: 403, message: 'the configmap contains unwanted key and value' } });
      } else answer(res, review, { allowed: true });
    } else if (path === '/mutate') {
      const ops = [{ op: 'add', path: '/data/mutation-stage-1', value: 'yes' }, { op: 'add', path: '/notInTheSchema', value: 'x' }];
      answer(res, review, { allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') });
    } else if (path === '/slow') {
      setTimeout(() => answer(res, review, { allowed: true }), 3000);
    } else if (path === '/bad-uid') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'not-the-uid', allowed: true } }));
    } else {
      answer(res, review, { allowed: false });
    }
  });
}

function webhook(name: string, path: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name, clientConfig: { url: `${base}${path}`, caBundle }, sideEffects: 'None', admissionReviewVersions: ['v1'],
    rules: [{ operations: ['CREATE', 'UPDATE', 'DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    namespaceSelector: { matchLabels: { 'webhook-test': 'yes' } }, ...extra,
  };
}

async function createNamespace(name: string, labels: Record<string, string>): Promise<void> {
  const res = await api.request('POST', '/api/v1/namespaces', { metadata: { name, labels } });
  expect(res.status).toBe(201);
}

const cm = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

beforeAll(async () => {
  const caPair = await createCa({ commonName: 'webhook-test-ca' });
  ca = caPair.certPem;
  caBundle = Buffer.from(ca).toString('base64');
  const serving = await issueServingCert({ caCertPem: caPair.certPem, caKeyPem: caPair.keyPem }, { commonName: 'webhook', hosts: ['127.0.0.1', 'e2e-webhook.hooks.svc'] });
  server = createServer({ key: serving.keyPem, cert: serving.certPem }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api = await startTestServer();
  await createNamespace('hooked', { 'webhook-test': 'yes' });
  await createNamespace('plain', {});
});

afterAll(async () => {
  await api?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('admission webhooks against a local HTTPS webhook server', () => {
  it('serves the configuration kinds with defaults and refuses bad ones with causes', async () => {
    const bad = await api.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name: 'bad' }, webhooks: [{ name: 'nodots', clientConfig: { url: 'http://127.0.0.1/x' }, admissionReviewVersions: ['v2'] }],
    });
    expect(bad.status).toBe(422);
    const fields = ((bad.body['details'] as { causes: { field: string }[] }).causes).map((c) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['webhooks[0].name', 'webhooks[0].sideEffects', 'webhooks[0].admissionReviewVersions', 'webhooks[0].clientConfig.url']));
    const ok = await api.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name: 'deny-configmaps' }, webhooks: [webhook('deny-configmaps.tinykube.test', '/validate')],
    });
    expect(ok.status).toBe(201);
    const hook = (ok.body['webhooks'] as Record<string, unknown>[])[0];
    expect(hook).toMatchObject({ failurePolicy: 'Fail', matchPolicy: 'Equivalent', timeoutSeconds: 10, objectSelector: {} });
    const table = await api.request('GET', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect((table.body['columnDefinitions'] as { name: string }[]).map((c) => c.name)).toEqual(['Name', 'Webhooks', 'Age']);
  });

  it('denies a create with the webhook message and code, and lets others through', async () => {
    const denied = await api.request('POST', '/api/v1/namespaces/hooked/configmaps', cm('denied', { 'webhook-e2e-test': 'webhook-disallow' }));
    expect(denied.status).toBe(403);
    expect(denied.body['message']).toBe('admission webhook "deny-configmaps.tinykube.test" denied the request: the configmap contains unwanted key and value');
    expect((await api.request('GET', '/api/v1/namespaces/hooked/configmaps/denied')).status).toBe(404);
    // the namespaceSelector leaves namespaces without the label alone
    expect((await api.request('POST', '/api/v1/namespaces/plain/configmaps', cm('denied', { 'webhook-e2e-test': 'webhook-disallow' }))).status).toBe(201);
    const allowed = await api.request('POST', '/api/v1/namespaces/hooked/configmaps', cm('allowed', { a: 'b' }));
    expect(allowed.status).toBe(201);
    const req = seen.find((r) => r.request.object?.metadata?.name === 'allowed');
    expect(req?.request).toMatchObject({ operation: 'CREATE', kind: { kind: 'ConfigMap' }, userInfo: { username: 'admin' } });
  });

  it('denies an update to the marker value and a delete of a marked object', async () => {
    const upd = await api.request('PUT', '/api/v1/namespaces/hooked/configmaps/allowed', cm('allowed', { 'webhook-e2e-test': 'webhook-disallow' }));
    expect(upd.status).toBe(403);
    expect(upd.body['message']).toContain('denied the request');
    const stored = await api.request('GET', '/api/v1/namespaces/hooked/configmaps/allowed');
    expect(stored.body['data']).toEqual({ a: 'b' });
    // marked while no webhook looks (the plain namespace), then moved under the webhook's eye by labelling it
    await api.request('PATCH', '/api/v1/namespaces/plain', { metadata: { labels: { 'webhook-test': 'yes' } } }, { 'content-type': 'application/merge-patch+json' });
    const del = await api.request('DELETE', '/api/v1/namespaces/plain/configmaps/denied');
    expect(del.status).toBe(403);
    expect((await api.request('GET', '/api/v1/namespaces/plain/configmaps/denied')).status).toBe(200);
    expect(seen.some((r) => r.request.operation === 'DELETE' && r.request.oldObject?.metadata?.name === 'denied' && r.request.object === null)).toBe(true);
  });

  it('applies a mutating webhook JSON patch and prunes what it added outside the schema', async () => {
    const res = await api.request('POST', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
      metadata: { name: 'mutate-configmaps' }, webhooks: [webhook('mutate-configmaps.tinykube.test', '/mutate', { rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }] })],
    });
    expect(res.status).toBe(201);
    expect((res.body['webhooks'] as Record<string, unknown>[])[0]).toMatchObject({ reinvocationPolicy: 'Never' });
    const created = await api.request('POST', '/api/v1/namespaces/hooked/configmaps', cm('mutated', { a: 'b' }));
    expect(created.status).toBe(201);
    expect(created.body['data']).toEqual({ a: 'b', 'mutation-stage-1': 'yes' });
    // the patched object is decoded again: what the schema does not declare is pruned
    expect(created.body).not.toHaveProperty('notInTheSchema');
    expect((await api.request('DELETE', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/mutate-configmaps')).status).toBe(200);
  });

  it('honours timeoutSeconds and failurePolicy, and refuses a wrong uid', async () => {
    const slow = (name: string, policy: string) => api.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name }, webhooks: [webhook(`${name}.tinykube.test`, '/slow', { timeoutSeconds: 1, failurePolicy: policy, objectSelector: { matchLabels: { hook: name } } })],
    });
    expect((await slow('slow-fail', 'Fail')).status).toBe(201);
    expect((await slow('slow-ignore', 'Ignore')).status).toBe(201);
    const started = Date.now();
    const failed = await api.request('POST', '/api/v1/namespaces/hooked/configmaps', { ...cm('slow1', {}), metadata: { name: 'slow1', labels: { hook: 'slow-fail' } } });
    expect(failed.status).toBe(500);
    expect(failed.body['message']).toMatch(/^Internal error occurred: failed calling webhook "slow-fail.tinykube.test": failed to call webhook: Post "https:\/\/127\.0\.0\.1:\d+\/slow\?timeout=1s": context deadline exceeded$/);
    expect(Date.now() - started).toBeLessThan(2900);
    const ignored = await api.request('POST', '/api/v1/namespaces/hooked/configmaps', { ...cm('slow2', {}), metadata: { name: 'slow2', labels: { hook: 'slow-ignore' } } });
    expect(ignored.status).toBe(201);

    expect((await api.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name: 'bad-uid' }, webhooks: [webhook('bad-uid.tinykube.test', '/bad-uid', { objectSelector: { matchLabels: { hook: 'bad-uid' } } })],
    })).status).toBe(201);
    const bad = await api.request('POST', '/api/v1/namespaces/hooked/configmaps', { ...cm('uid', {}), metadata: { name: 'uid', labels: { hook: 'bad-uid' } } });
    expect(bad.status).toBe(500);
    expect(bad.body['message']).toContain('expected response.uid=');
  });

  it('never sends webhook configurations to webhooks', async () => {
    const before = seen.length;
    expect((await api.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      metadata: { name: 'deny-everything' }, webhooks: [{
        ...webhook('deny-everything.tinykube.test', '/deny-all'), namespaceSelector: {},
        rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] }],
      }],
    })).status).toBe(201);
    // the catch-all webhook denies everything else, but its own configuration can still be deleted
    expect((await api.request('POST', '/api/v1/namespaces/hooked/configmaps', cm('any', {}))).status).toBe(400);
    expect((await api.request('DELETE', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/deny-everything')).status).toBe(200);
    expect(seen.slice(before).every((r) => r.request.kind?.kind === 'ConfigMap')).toBe(true);
  });

  it('checks a Service webhook certificate for <service>.<namespace>.svc while connecting to an IP', async () => {
    const url = new URL(`${base}/validate`);
    const review = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u1', object: { data: {} } } };
    await expect(httpsTransport.post({ url, serverName: 'e2e-webhook.hooks.svc', ca, display: 'x' }, review, 5000)).resolves.toMatchObject({ response: { uid: 'u1', allowed: true } });
    await expect(httpsTransport.post({ url, serverName: 'other.hooks.svc', ca, display: 'x' }, review, 5000)).rejects.toThrow(/altnames|does not match/i);
    await expect(httpsTransport.post({ url, serverName: 'e2e-webhook.hooks.svc', display: 'x' }, review, 5000)).rejects.toThrow(/certificate/i);
  });
});
