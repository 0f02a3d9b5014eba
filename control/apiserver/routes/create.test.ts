import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { CONFIGMAPS, DEPLOYMENTS, PODS, SERVICES, deployment, pod, service } from '../testing/fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('POST (create)', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });

  /** Sends a request that must be refused with `status`, and checks the collection did not move. */
  async function refused(status: number, method: 'POST', url: string, body: unknown, headers?: Record<string, string>, collection = PODS) {
    const before = await s.listRv(collection);
    const res = await s.request(method, url, body, headers);
    expect(res.status, res.text).toBe(status);
    expect(res.body['kind']).toBe('Status');
    expect(res.body['code']).toBe(status);
    expect(await s.listRv(collection)).toBe(before);
    return res;
  }

  it('answers 201 with server-set metadata; generation only for workloads', async () => {
    const res = await s.request('POST', PODS, pod('web'));
    expect(res.status).toBe(201);
    const md = res.body.metadata!;
    expect(md['uid']).toMatch(UUID);
    expect(md['creationTimestamp']).toMatch(RFC3339);
    expect(Number(md['resourceVersion'])).toBeGreaterThan(0);
    expect(md['namespace']).toBe('default');
    expect(md['generation']).toBeUndefined();
    const dep = await s.request('POST', DEPLOYMENTS, deployment('web'));
    expect(dep.status).toBe(201);
    expect(dep.body.metadata!['generation']).toBe(1);
  });

  it('fills the name from generateName', async () => {
    const res = await s.request('POST', PODS, { ...pod('x'), metadata: { generateName: 'web-' } });
    expect(res.status).toBe(201);
    expect(res.body.metadata!['name']).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it('applies defaults: pod restartPolicy and port protocol, service type/targetPort, deployment strategy', async () => {
    const p = (await s.request('POST', PODS, pod('web'))).body as { spec: { restartPolicy: string; containers: Array<{ ports: Array<{ protocol: string }> }> }; status: { phase: string } };
    expect(p.spec.restartPolicy).toBe('Always');
    expect(p.spec.containers[0]!.ports[0]!.protocol).toBe('TCP');
    expect(p.status.phase).toBe('Pending');
    const svc = (await s.request('POST', SERVICES, service('web'))).body as { spec: { type: string; ports: Array<{ targetPort: number; protocol: string }> } };
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports[0]).toMatchObject({ targetPort: 80, protocol: 'TCP' });
    const dep = (await s.request('POST', DEPLOYMENTS, deployment('web'))).body as { spec: Record<string, unknown> };
    expect(dep.spec['strategy']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(dep.spec['revisionHistoryLimit']).toBe(10);
    expect(dep.spec['progressDeadlineSeconds']).toBe(600);
  });

  it('refuses an existing name with the exact AlreadyExists Status', async () => {
    await s.request('POST', PODS, pod('web'));
    const res = await refused(409, 'POST', PODS, pod('web'));
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "web" already exists',
      reason: 'AlreadyExists', code: 409, details: { name: 'web', kind: 'pods' },
    });
  });

  it('refuses a missing namespace with 404', async () => {
    const res = await refused(404, 'POST', '/api/v1/namespaces/x/pods', pod('web'));
    expect(res.body['message']).toBe('namespaces "x" not found');
    expect(res.body['details']).toEqual({ name: 'x', kind: 'namespaces' });
  });

  it('refuses creation in a terminating namespace with 403', async () => {
    expect((await s.request('POST', '/api/v1/namespaces', { metadata: { name: 'dev' } })).status).toBe(201);
    expect((await s.request('DELETE', '/api/v1/namespaces/dev')).status).toBe(202);
    const res = await refused(403, 'POST', '/api/v1/namespaces/dev/pods', pod('web'), undefined, '/api/v1/pods');
    expect(res.body['message']).toBe('unable to create new content in namespace dev because it is being terminated');
  });

  it('refuses a missing image with 422 and causes', async () => {
    const bad = { ...pod('bad'), spec: { containers: [{ name: 'c' }] } };
    const res = await refused(422, 'POST', PODS, bad);
    expect(res.body).toMatchObject({
      reason: 'Invalid', message: 'Pod "bad" is invalid: spec.containers[0].image: Required value',
      details: { name: 'bad', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }] },
    });
  });

  it('refuses a bad name with 422', async () => {
    const res = await refused(422, 'POST', PODS, pod('Bad_Name'));
    const causes = (res.body['details'] as { causes: Array<{ field: string; reason: string }> }).causes;
    expect(causes[0]).toMatchObject({ field: 'metadata.name', reason: 'FieldValueInvalid' });
    expect(String(res.body['message'])).toMatch(/^Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });

  it('refuses unknown fields under fieldValidation=Strict', async () => {
    const body = { ...pod('web'), spec: { ...(pod('web')['spec'] as object), foo: 1 } };
    const res = await refused(400, 'POST', `${PODS}?fieldValidation=Strict`, body);
    expect(res.body['message']).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"');
    expect(res.body['reason']).toBe('BadRequest');
  });

  it('warns about unknown fields by default, and drops them', async () => {
    const body = { ...pod('web'), spec: { ...(pod('web')['spec'] as object), foo: 1 } };
    const res = await s.request('POST', PODS, body);
    expect(res.status).toBe(201);
    expect([res.headers['warning']].flat()).toEqual(['299 - "unknown field \\"spec.foo\\""']);
    expect((res.body['spec'] as Record<string, unknown>)['foo']).toBeUndefined();
    const got = await s.request('GET', `${PODS}/web`);
    expect((got.body['spec'] as Record<string, unknown>)['foo']).toBeUndefined();
  });

  it('refuses an apiVersion or kind that does not match the URL', async () => {
    let res = await refused(400, 'POST', PODS, { ...pod('web'), apiVersion: 'apps/v1' });
    expect(res.body['message']).toBe('the API version in the data (apps/v1) does not match the expected API version (v1)');
    res = await refused(400, 'POST', PODS, { ...pod('web'), kind: 'Service' });
    expect(res.body['message']).toBe('Pod in version "v1" cannot be handled as a Pod: the kind in the data (Service) does not match the expected kind (Pod)');
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await refused(400, 'POST', PODS, '{"apiVersion":');
    expect(String(res.body['message'])).toMatch(/json parse error/);
  });

  it('accepts a YAML body', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n';
    const res = await s.request('POST', CONFIGMAPS, yaml, { 'content-type': 'application/yaml' });
    expect(res.status).toBe(201);
    expect(res.body['data']).toEqual({ a: '1' });
  });

  it('refuses a body over 3 MiB with 413', async () => {
    const big = JSON.stringify({ ...pod('big'), metadata: { name: 'big', annotations: { a: 'x'.repeat(3 * 1024 * 1024) } } });
    const res = await refused(413, 'POST', PODS, big);
    expect(res.body['reason']).toBe('RequestEntityTooLarge');
  });

  it('refuses an unknown content type with 415', async () => {
    const res = await refused(415, 'POST', PODS, '<pod/>', { 'content-type': 'application/xml' });
    expect(res.body['reason']).toBe('UnsupportedMediaType');
  });

  it('stores nothing with dryRun=All', async () => {
    const before = await s.listRv(PODS);
    const res = await s.request('POST', `${PODS}?dryRun=All`, pod('web'));
    expect(res.status).toBe(201);
    expect(res.body.metadata!['name']).toBe('web');
    expect(await s.listRv(PODS)).toBe(before);
    expect((await s.request('GET', `${PODS}/web`)).status).toBe(404);
  });
});
