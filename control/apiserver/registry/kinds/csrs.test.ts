import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCa } from '../../../pki/create-ca.js';
import { createCsr } from '../../../pki/create-csr.js';
import type { Authenticator } from '../../auth.js';
import { startTestServer } from '../../testing/test-server.js';
import type { TestServer } from '../../testing/test-server.js';

const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** `x-user: name|group,group` picks the requester; no header is the admin. */
const headerAuth: Authenticator = {
  async authenticate(req) {
    const h = req.headers['x-user'];
    if (typeof h !== 'string') return { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
    const [name = '', groups = ''] = h.split('|');
    return { name, groups: groups.split(',').filter(Boolean) };
  },
};

let request = '';
let certificate = '';
beforeAll(async () => {
  request = b64((await createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] })).csrPem);
  certificate = b64((await createCa({ commonName: 'x' })).certPem);
});

const body = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
  spec: { request, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], ...spec },
});
type Csr = CertificateSigningRequest & { metadata: { name: string; resourceVersion: string } };

describe('CertificateSigningRequest registry', () => {
  let s: TestServer;
  beforeEach(async () => { s = await startTestServer({ authenticator: headerAuth }); });
  afterEach(async () => { await s.close(); });

  const create = async (name: string, spec: Record<string, unknown> = {}, user?: string): Promise<Csr> => {
    const res = await s.request('POST', CSRS, body(name, spec), user ? { 'x-user': user } : {});
    expect(res.status, res.text).toBe(201);
    return res.body as unknown as Csr;
  };

  it('sets the requester from the authenticated user, ignoring what the client sent, and starts with an empty status', async () => {
    const csr = await create('node-csr-1', { username: 'mallory', groups: ['system:masters'], uid: 'x', extra: { a: ['b'] } }, 'system:bootstrap:abcdef|system:bootstrappers,system:authenticated');
    expect(csr.spec.username).toBe('system:bootstrap:abcdef');
    expect(csr.spec.groups).toEqual(['system:bootstrappers', 'system:authenticated']);
    expect(csr.spec.uid).toBeUndefined();
    expect(csr.spec.extra).toBeUndefined();
    expect(csr.status).toEqual({});
  });

  it('refuses an invalid request with a 422 and stores nothing', async () => {
    const before = await s.listRv(CSRS);
    const res = await s.request('POST', CSRS, body('bad', { request: b64('junk'), signerName: undefined }));
    expect(res.status).toBe(422);
    expect(res.body['message']).toBe('CertificateSigningRequest.certificates.k8s.io "bad" is invalid: '
      + '[spec.request: Invalid value: []byte{0x6a, 0x75, 0x6e, 0x6b}: PEM block type must be CERTIFICATE REQUEST, spec.signerName: Required value]');
    expect((res.body['details'] as { causes: unknown[] }).causes).toHaveLength(2);
    const bad64 = await s.request('POST', CSRS, body('bad', { request: 'not base64!' }));
    expect(bad64.status).toBe(400);
    expect(await s.listRv(CSRS)).toBe(before);
  });

  it('changes nothing but metadata through the main resource', async () => {
    const csr = await create('c1');
    const res = await s.request('PUT', `${CSRS}/c1`, { ...csr, metadata: { ...csr.metadata, labels: { a: 'b' } }, spec: { ...csr.spec, usages: ['server auth'] }, status: { conditions: [{ type: 'Approved', status: 'True' }] } });
    expect(res.status, res.text).toBe(200);
    const got = res.body as unknown as Csr;
    expect(got.metadata.labels).toEqual({ a: 'b' });
    expect(got.spec.usages).toEqual(['digital signature', 'client auth']);
    expect(got.status).toEqual({});
  });

  it('approval changes only status.conditions (and metadata, as upstream) and stamps them', async () => {
    const csr = await create('c2');
    const res = await s.request('PUT', `${CSRS}/c2/approval`, {
      ...csr, metadata: { ...csr.metadata, labels: { x: 'y' } }, spec: { ...csr.spec, username: 'mallory' },
      status: { certificate, conditions: [{ type: 'Approved', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' }] },
    });
    expect(res.status, res.text).toBe(200);
    const got = res.body as unknown as Csr;
    expect(got.metadata.labels).toEqual({ x: 'y' });
    expect(got.spec.username).toBe('admin');
    expect(got.status?.certificate).toBeUndefined();
    const [cond] = got.status?.conditions ?? [];
    expect(cond).toMatchObject({ type: 'Approved', status: 'True', reason: 'KubectlApprove' });
    expect(cond?.lastUpdateTime).toMatch(/Z$/);
    expect(cond?.lastTransitionTime).toBe(cond?.lastUpdateTime);

    const deny = await s.request('PUT', `${CSRS}/c2/approval`, { ...got, status: { conditions: [...(got.status?.conditions ?? []), { type: 'Denied', status: 'True' }] } });
    expect(deny.status).toBe(422);
    expect(deny.body['message']).toContain('status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive');
  });

  it('status sets the certificate once and cannot approve', async () => {
    const csr = await create('c3');
    const approve = await s.request('PUT', `${CSRS}/c3/status`, { ...csr, status: { conditions: [{ type: 'Approved', status: 'True' }] } });
    expect(approve.status).toBe(422);
    expect(approve.body['message']).toContain('updates may not add a condition of type "Approved"');
    const issued = await s.request('PATCH', `${CSRS}/c3/status`, { metadata: { annotations: { patchedstatus: 'true' } }, status: { certificate } },
      { 'content-type': 'application/merge-patch+json' });
    expect(issued.status, issued.text).toBe(200);
    expect((issued.body as unknown as Csr).status?.certificate).toBe(certificate);
    // the conformance CSR spec patches an annotation in with the status
    expect((issued.body as unknown as Csr).metadata.annotations).toEqual({ patchedstatus: 'true' });
    const again = await s.request('PUT', `${CSRS}/c3/status`, { ...issued.body, status: { certificate: b64('x') } });
    expect(again.status).toBe(422);
  });

  it('is cluster-scoped, found by short name in discovery, and selectable by signerName', async () => {
    await create('c4');
    await create('c5', { signerName: 'kubernetes.io/kube-apiserver-client' });
    const list = await s.request('GET', `${CSRS}?fieldSelector=spec.signerName%3Dkubernetes.io%2Fkube-apiserver-client`);
    expect((list.body['items'] as Csr[]).map((c) => c.metadata.name)).toEqual(['c5']);
    const disc = await s.request('GET', '/apis/certificates.k8s.io/v1');
    const res = (disc.body['resources'] as Array<{ name: string; shortNames?: string[]; namespaced: boolean }>);
    expect(res.find((r) => r.name === 'certificatesigningrequests')).toMatchObject({ shortNames: ['csr'], namespaced: false });
    expect(res.map((r) => r.name)).toEqual(expect.arrayContaining(['certificatesigningrequests/approval', 'certificatesigningrequests/status']));
  });
});
