import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipToInt } from '../service/ip-allocator.js';
import { startTestServer } from '../../testing/test-server.js';
import type { TestServer } from '../../testing/test-server.js';
import { SERVICES, service } from '../../testing/fixtures.js';

interface Svc { metadata: { name: string; resourceVersion: string }; spec: { type: string; clusterIP: string; clusterIPs: string[]; ports: Array<{ port: number; nodePort?: number }> } }
const MERGE = { 'content-type': 'application/merge-patch+json' };
const RANGE_START = ipToInt('10.96.0.0');
const inServiceCidr = (ip: string): boolean => ipToInt(ip) > RANGE_START && ipToInt(ip) < RANGE_START + 2 ** 20 - 1;

describe('Service allocation', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer(); });
  afterEach(async () => { await s.close(); });
  const create = async (name: string, spec: Record<string, unknown> = {}) => s.request('POST', SERVICES, service(name, spec));

  it('allocates distinct ClusterIPs in 10.96.0.0/12 for 50 concurrent creates', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => create(`svc-${i}`)));
    const ips = results.map((r) => { expect(r.status, r.text).toBe(201); return (r.body as unknown as Svc).spec.clusterIP; });
    for (const ip of ips) expect(inServiceCidr(ip), ip).toBe(true);
    expect(new Set([...ips, '10.96.0.1']).size).toBe(51);
    for (const r of results) expect((r.body as unknown as Svc).spec.clusterIPs).toEqual([(r.body as unknown as Svc).spec.clusterIP]);
  });

  it('gives the kubernetes service the first address', async () => {
    const k = (await s.request('GET', `${SERVICES}/kubernetes`)).body as unknown as Svc;
    expect(k.spec.clusterIP).toBe('10.96.0.1');
  });

  it('allocates a nodePort in 30000-32767 for NodePort services', async () => {
    const svc = (await create('np', { type: 'NodePort' })).body as unknown as Svc;
    const port = svc.spec.ports[0]!.nodePort!;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
  });

  it('refuses a nodePort already taken, and frees it on delete', async () => {
    expect((await create('first', { type: 'NodePort', ports: [{ port: 80, nodePort: 30008 }] })).status).toBe(201);
    const before = await s.listRv(SERVICES);
    const clash = await create('second', { type: 'NodePort', ports: [{ port: 80, nodePort: 30008 }] });
    expect(clash.status).toBe(422);
    expect(clash.body['message']).toBe('Service "second" is invalid: spec.ports[0].nodePort: Invalid value: 30008: provided port is already allocated');
    expect(clash.body['details']).toMatchObject({ causes: [{ reason: 'FieldValueInvalid', field: 'spec.ports[0].nodePort' }] });
    expect(await s.listRv(SERVICES)).toBe(before);
    expect((await s.request('DELETE', `${SERVICES}/first`)).status).toBe(200);
    expect((await create('second', { type: 'NodePort', ports: [{ port: 80, nodePort: 30008 }] })).status).toBe(201);
  });

  it('refuses a nodePort out of range', async () => {
    const res = await create('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] });
    expect(res.status).toBe(422);
    expect(String(res.body['message'])).toContain('spec.ports[0].nodePort: Invalid value: 80');
  });

  it('does not leak the ClusterIP of a refused create', async () => {
    await create('taken', { clusterIP: '10.96.0.50' });
    const dup = await create('dup', { clusterIP: '10.96.0.50' });
    expect(dup.status).toBe(422);
    expect(String(dup.body['message'])).toContain('provided IP is already allocated');
    await s.request('DELETE', `${SERVICES}/taken`);
    expect((await create('again', { clusterIP: '10.96.0.50' })).status).toBe(201);
  });

  it('keeps a headless service headless', async () => {
    const svc = (await create('headless', { clusterIP: 'None' })).body as unknown as Svc;
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.clusterIPs).toEqual(['None']);
  });

  it('keeps the ClusterIP and nodePort when a replace omits them', async () => {
    const created = (await create('web', { type: 'NodePort' })).body as unknown as Svc;
    const body = service('web', { type: 'NodePort' });
    body.metadata = { ...body.metadata, resourceVersion: created.metadata.resourceVersion };
    const res = await s.request('PUT', `${SERVICES}/web`, body);
    expect(res.status, res.text).toBe(200);
    const got = res.body as unknown as Svc;
    expect(got.spec.clusterIP).toBe(created.spec.clusterIP);
    expect(got.spec.clusterIPs).toEqual(created.spec.clusterIPs);
    expect(got.spec.ports[0]!.nodePort).toBe(created.spec.ports[0]!.nodePort);
  });

  it('releases nodePorts when the type changes from NodePort to ClusterIP', async () => {
    const created = (await create('web', { type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] })).body as unknown as Svc;
    // externalTrafficPolicy: Cluster stays in the merged object; the registry drops it (dropTypeDependentFields)
    const res = await s.request('PATCH', `${SERVICES}/web`, { spec: { type: 'ClusterIP', ports: [{ port: 80 }] } }, MERGE);
    expect(res.status, res.text).toBe(200);
    const got = res.body as unknown as Svc;
    expect(got.spec.ports[0]!.nodePort).toBeUndefined();
    expect(got.spec.clusterIP).toBe(created.spec.clusterIP);
    expect((await create('other', { type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] })).status).toBe(201);
  });

  it('ClusterIP → ExternalName as the v1.20 e2e jig sends it (clusterIP cleared, the rest as read) frees the ClusterIP', async () => {
    const created = (await create('web', { clusterIP: '10.96.0.60' })).body as unknown as Svc & { spec: Record<string, unknown> };
    const body = structuredClone(created) as unknown as { spec: Record<string, unknown> };
    Object.assign(body.spec, { type: 'ExternalName', externalName: 'db.example.com', clusterIP: '' });
    const res = await s.request('PUT', `${SERVICES}/web`, body);
    expect(res.status, res.text).toBe(200);
    const spec = (res.body as unknown as { spec: Record<string, unknown> }).spec;
    expect(spec).toMatchObject({ type: 'ExternalName', externalName: 'db.example.com' });
    for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) expect(spec, f).not.toHaveProperty(f);
    expect((await create('other', { clusterIP: '10.96.0.60' })).status).toBe(201);
  });

  it('a patch of type and externalName alone (kubectl apply) turns a NodePort service ExternalName', async () => {
    await create('web', { type: 'NodePort', clusterIP: '10.96.0.65', ports: [{ port: 80, nodePort: 30301 }] });
    const res = await s.request('PATCH', `${SERVICES}/web`, { spec: { type: 'ExternalName', externalName: 'db.example.com' } }, MERGE);
    expect(res.status, res.text).toBe(200);
    expect((res.body as unknown as Svc).spec).toMatchObject({ type: 'ExternalName', ports: [{ port: 80 }] });
    expect((res.body as unknown as Svc).spec.ports[0]!.nodePort).toBeUndefined();
    expect((await create('ip-taker', { clusterIP: '10.96.0.65', type: 'NodePort', ports: [{ port: 80, nodePort: 30301 }] })).status).toBe(201);
  });

  it('NodePort → ExternalName frees the ClusterIP and the nodePort; back to NodePort allocates both again', async () => {
    const created = (await create('web', { type: 'NodePort', clusterIP: '10.96.0.61', ports: [{ port: 80, nodePort: 30300 }] })).body as unknown as Svc;
    const body = structuredClone(created) as unknown as { spec: Record<string, unknown> & { ports: Array<Record<string, unknown>> } };
    Object.assign(body.spec, { type: 'ExternalName', externalName: 'db.example.com', clusterIP: '' });
    body.spec.ports[0]!['nodePort'] = 0;
    const res = await s.request('PUT', `${SERVICES}/web`, body);
    expect(res.status, res.text).toBe(200);
    const ext = res.body as unknown as Svc & { spec: Record<string, unknown> };
    expect(ext.spec.ports[0]!.nodePort).toBeUndefined();
    expect(ext.spec).not.toHaveProperty('externalTrafficPolicy');
    expect((await create('ip-taker', { clusterIP: '10.96.0.61' })).status).toBe(201);
    expect((await create('port-taker', { type: 'NodePort', ports: [{ port: 80, nodePort: 30300 }] })).status).toBe(201);
    const back = await s.request('PATCH', `${SERVICES}/web`, { spec: { type: 'NodePort', externalName: null } }, MERGE);
    expect(back.status, back.text).toBe(200);
    const np = back.body as unknown as Svc;
    expect(inServiceCidr(np.spec.clusterIP)).toBe(true);
    expect(np.spec.clusterIP).not.toBe('10.96.0.61');
    expect(np.spec.clusterIPs).toEqual([np.spec.clusterIP]);
    expect(np.spec.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    expect(np.spec.ports[0]!.nodePort).not.toBe(30300);
  });

  it('ExternalName → ClusterIP with a refused update or a dry run holds no address', async () => {
    await create('ext', { type: 'ExternalName', externalName: 'db.example.com' });
    const bad = await s.request('PATCH', `${SERVICES}/ext`, { spec: { type: 'ClusterIP', externalName: null, clusterIP: '10.96.0.62', sessionAffinity: 'Sometimes' } }, MERGE);
    expect(bad.status, bad.text).toBe(422);
    const dry = await s.request('PATCH', `${SERVICES}/ext?dryRun=All`, { spec: { type: 'ClusterIP', externalName: null, clusterIP: '10.96.0.62' } }, MERGE);
    expect(dry.status, dry.text).toBe(200);
    expect((dry.body as unknown as Svc).spec.clusterIP).toBe('10.96.0.62');
    expect((await create('ip-taker', { clusterIP: '10.96.0.62' })).status).toBe(201);
  });

  it('a ClusterIP → ExternalName that also keeps clusterIPs is refused and keeps the address held', async () => {
    const created = (await create('web', { clusterIP: '10.96.0.63' })).body as unknown as Svc;
    const res = await s.request('PATCH', `${SERVICES}/web`, { spec: { type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.63', clusterIPs: ['10.96.0.64'] } }, MERGE);
    expect(res.status, res.text).toBe(422);
    expect(String(res.body['message'])).toContain('spec.clusterIPs: Forbidden: may not be set for ExternalName services');
    expect((await s.request('GET', `${SERVICES}/web`)).body).toMatchObject({ spec: { clusterIP: created.spec.clusterIP, type: 'ClusterIP' } });
    expect((await create('ip-taker', { clusterIP: '10.96.0.63' })).status).toBe(422);
  });

  it('holds nothing for a dry-run create', async () => {
    expect((await s.request('POST', `${SERVICES}?dryRun=All`, service('dry', { type: 'NodePort', ports: [{ port: 80, nodePort: 30200 }] }))).status).toBe(201);
    expect((await create('real', { type: 'NodePort', ports: [{ port: 80, nodePort: 30200 }] })).status).toBe(201);
  });
});
