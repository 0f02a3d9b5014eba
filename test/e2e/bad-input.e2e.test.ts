/**
 * Bad input gets the upstream Status code and message and changes nothing: each refused request
 * leaves the store's revision where it was. Also: an acknowledged create survives kill -9.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestControlPlane, ROOT } from '../helpers/control-plane.js';
import { rawRequest } from '../helpers/https-client.js';

describe('bad input is refused with upstream Status errors and changes nothing', () => {
  const cp = new TestControlPlane();
  beforeAll(async () => { await cp.start(); });
  afterAll(async () => { await cp.destroy(); });

  const req = (method: string, path: string, body?: string | Buffer, contentType = 'application/json') =>
    rawRequest({ url: cp.url, token: cp.token, ca: cp.caCert, method, path, body, headers: body !== undefined ? { 'Content-Type': contentType } : {} });
  /** The store's revision, as a list reports it. */
  const revision = async () => (await req('GET', '/api/v1/pods')).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;

  const pod = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'tinykube/web:1' }], ...extra },
  });

  it.each([
    ['malformed JSON', () => req('POST', '/api/v1/namespaces/default/pods', '{"apiVersion": "v1", "kind": "Pod", '), 400, 'BadRequest', /json parse error/],
    ['malformed YAML', () => req('POST', '/api/v1/namespaces/default/pods', 'apiVersion: v1\nkind: Pod\nmetadata: [oops\n', 'application/yaml'), 400, 'BadRequest', /YAML/],
    ['garbled protobuf', () => req('POST', '/api/v1/namespaces/default/pods', Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff, 0x01]), 'application/vnd.kubernetes.protobuf'), 400, 'BadRequest', /decode|protobuf/i],
    ['protobuf without the k8s magic', () => req('POST', '/api/v1/namespaces', Buffer.from('hello'), 'application/vnd.kubernetes.protobuf'), 400, 'BadRequest', /./],
    ['unknown field under strict validation', () => req('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', pod('strict', { bogus: 1 })), 400, 'BadRequest',
      /^Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.bogus"$/],
    ['invalid name', () => req('POST', '/api/v1/namespaces/default/pods', pod('Bad_Name')), 422, 'Invalid', /^Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/],
    ['missing image', () => req('POST', '/api/v1/namespaces/default/pods', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'noimg' }, spec: { containers: [{ name: 'c' }] } })), 422, 'Invalid', /spec.containers\[0\].image: Required value/],
    ['missing namespace', () => req('POST', '/api/v1/namespaces/nope/pods', pod('p')), 404, 'NotFound', /^namespaces "nope" not found$/],
    ['wrong kind for the endpoint', () => req('POST', '/api/v1/namespaces/default/pods', JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } })), 400, 'BadRequest', /does not match the expected kind/],
    ['body over the size limit', () => req('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } })), 413, 'RequestEntityTooLarge', /too large/i],
    ['unknown media type', () => req('POST', '/api/v1/namespaces/default/pods', pod('m'), 'text/csv'), 415, 'UnsupportedMediaType', /unknown format/],
  ])('%s', async (_name, send, code, reason, message) => {
    const before = await revision();
    const res = await send();
    expect(res.status).toBe(code);
    const status = res.json<{ kind: string; code: number; reason: string; message: string }>();
    expect(status.kind).toBe('Status');
    expect(status.code).toBe(code);
    expect(status.reason).toBe(reason);
    expect(status.message).toMatch(message);
    expect(await revision()).toBe(before);
  });

  it('a stale resourceVersion is a 409 Conflict and the object keeps its value', async () => {
    const created = (await req('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cas' }, data: { v: '1' } }))).json<{ metadata: { resourceVersion: string } }>();
    const ok = await req('PUT', '/api/v1/namespaces/default/configmaps/cas', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cas', resourceVersion: created.metadata.resourceVersion }, data: { v: '2' } }));
    expect(ok.status).toBe(200);
    const before = await revision();
    const stale = await req('PUT', '/api/v1/namespaces/default/configmaps/cas', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cas', resourceVersion: created.metadata.resourceVersion }, data: { v: '3' } }));
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ reason: 'Conflict', message: 'Operation cannot be fulfilled on configmaps "cas": the object has been modified; please apply your changes to the latest version and try again' });
    expect(await revision()).toBe(before);
    expect((await req('GET', '/api/v1/namespaces/default/configmaps/cas')).json<{ data: { v: string } }>().data.v).toBe('2');
  });

  it('a watch from a compacted or bogus resourceVersion is refused', async () => {
    const bogus = await req('GET', '/api/v1/pods?watch=true&resourceVersion=abc');
    expect(bogus.status).toBe(400);
  });

  it('no token: 401 Unauthorized, as kubectl expects', async () => {
    const res = await rawRequest({ url: cp.url, token: 'wrong', ca: cp.caCert, method: 'GET', path: '/api/v1/pods' });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    const k = await cp.kubectl(['--token', 'wrong', 'get', 'pods']);
    expect(k.stderr).toContain('error: You must be logged in to the server');
  });

  it('kubectl: unknown fields are refused by --validate=strict (the default)', async () => {
    const f = cp.manifest('unknown.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: unk}\nspec:\n  containers: [{name: c, image: tinykube/web:1, imagee: typo}]\n');
    const r = await cp.kubectl(['create', '-f', f]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('strict decoding error: unknown field "spec.containers[0].imagee"');
  });
});

describe('durability: an acknowledged create survives kill -9', () => {
  it('kill -9 right after the 201, restart, the object is there', async () => {
    const cp = new TestControlPlane();
    try {
      await cp.start();
      const body = readFileSync(join(ROOT, 'test/e2e/testdata/pod-definition.yaml'), 'utf8');
      const res = await rawRequest({ url: cp.url, token: cp.token, ca: cp.caCert, method: 'POST', path: '/api/v1/namespaces/default/pods', body, headers: { 'Content-Type': 'application/yaml' } });
      expect(res.status).toBe(201);
      const uid = res.json<{ metadata: { uid: string } }>().metadata.uid;
      await cp.kill9();
      await cp.start();
      expect(await cp.k('get', 'pod', 'myapp-pod', '-o', 'jsonpath={.metadata.uid}')).toBe(uid);
    } finally {
      await cp.destroy();
    }
  });
});
