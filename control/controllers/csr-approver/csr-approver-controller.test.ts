import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/helpers/eventually.js';
import type { Authenticator } from '../../apiserver/auth.js';
import { createCsr } from '../../pki/create-csr.js';
import { parseCsrPem } from '../../pki/csr.js';
import type { ParsedCsr } from '../../pki/csr.js';
import { CSRS, KUBELET_SERVING_SIGNER, KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBE_APISERVER_CLIENT_SIGNER } from '../shared/csr.js';
import { findResource } from '../../api/resources.js';
import type { Csr } from '../shared/csr.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { autoApproval } from './auto-approval.js';
import type { ServingSanFacts } from './serving-sans.js';
import { createCsrApproverController } from './csr-approver-controller.js';

const URL = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const NODES = findResource('', 'v1', 'nodes')!;
const CLIENT = ['digital signature', 'client auth'];

/** `x-user: name|group,group`; no header is the admin. */
const headerAuth: Authenticator = {
  async authenticate(req) {
    const h = req.headers['x-user'];
    if (typeof h !== 'string') return { name: 'admin', groups: ['system:masters'] };
    const [name = '', groups = ''] = h.split('|');
    return { name, groups: groups.split(',').filter(Boolean) };
  },
};

const pems: Record<string, string> = {};
const parsed: Record<string, ParsedCsr> = {};
beforeAll(async () => {
  const make = async (id: string, commonName: string, organizations: string[], sans?: { type: 'dns'; value: string }[]) => {
    pems[id] = (await createCsr({ commonName, organizations, ...(sans ? { sans } : {}) })).csrPem;
    parsed[id] = parseCsrPem(pems[id]!);
  };
  await make('w1', 'system:node:w1', ['system:nodes']);
  await make('jane', 'jane', ['dev']);
  await make('san', 'system:node:w1', ['system:nodes'], [{ type: 'dns', value: 'w1' }]);
  await make('twoOrgs', 'system:node:w1', ['system:nodes', 'x']);
  await make('apiserver', 'system:node:w1', ['system:nodes'], [{ type: 'dns', value: 'kubernetes.default.svc' }]);
});

const W1: ServingSanFacts = { node: { metadata: { name: 'w1' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.7' }] } }, apiServerServiceIps: ['10.96.0.1'] };

const spec = (over: Partial<CertificateSigningRequest['spec']> = {}): CertificateSigningRequest =>
  ({ spec: { request: '', signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER, usages: CLIENT, username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'], ...over } });

describe('autoApproval', () => {
  it.each<[string, CertificateSigningRequest, string, string | undefined]>([
    ['bootstrap token, new node', spec(), 'w1', 'nodeclient'],
    ['key encipherment allowed', spec({ usages: ['key encipherment', ...CLIENT] }), 'w1', 'nodeclient'],
    ['node renewing itself', spec({ username: 'system:node:w1', groups: ['system:nodes', 'system:authenticated'] }), 'w1', 'selfnodeclient'],
    ['node renewing another node', spec({ username: 'system:node:w2', groups: ['system:nodes'] }), 'w1', undefined],
    ['an admin', spec({ username: 'admin', groups: ['system:masters'] }), 'w1', undefined],
    ['node serving, itself', spec({ signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'], username: 'system:node:w1', groups: ['system:nodes'] }), 'san', 'selfnodeserving'],
    ['node serving, another node', spec({ signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'], username: 'system:node:w2', groups: ['system:nodes'] }), 'san', undefined],
    ['node serving, no SAN', spec({ signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'], username: 'system:node:w1', groups: ['system:nodes'] }), 'w1', undefined],
    ['node serving, a name of the API server', spec({ signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'], username: 'system:node:w1', groups: ['system:nodes'] }), 'apiserver', undefined],
    ['node serving, bootstrap token', spec({ signerName: 'kubernetes.io/kubelet-serving', usages: ['digital signature', 'server auth'] }), 'san', undefined],
    ['another signer', spec({ signerName: KUBE_APISERVER_CLIENT_SIGNER }), 'w1', undefined],
    ['server auth usage', spec({ usages: [...CLIENT, 'server auth'] }), 'w1', undefined],
    ['missing client auth', spec({ usages: ['digital signature'] }), 'w1', undefined],
    ['not a node subject', spec(), 'jane', undefined],
    ['a SAN', spec(), 'san', undefined],
    ['two organizations', spec(), 'twoOrgs', undefined],
  ])('%s', (_n, csr, req, want) => {
    expect(autoApproval(csr, parsed[req]!, W1)?.permission).toBe(want);
  });

  it('words the approval as upstream', () => {
    expect(autoApproval(spec(), parsed['w1']!, W1)?.message).toBe('Auto approving kubelet client certificate after SubjectAccessReview.');
  });
});

describe('CsrApproverController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });

  const create = async (name: string, pem: string, user?: string) => {
    const res = await env.server.request('POST', URL, {
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
      spec: { request: Buffer.from(pem).toString('base64'), signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER, usages: CLIENT },
    }, user ? { 'x-user': user } : {});
    expect(res.status, res.text).toBe(201);
  };
  const conditions = async (name: string) => (await env.client.get<Csr>(CSRS, undefined, name)).status?.conditions ?? [];

  it('approves a bootstrapping node’s client CSR and leaves others Pending', async () => {
    env = await startControllerEnv({ gc: false, authenticator: headerAuth });
    env.start(createCsrApproverController(env.ctx));
    await create('by-admin', pems['w1']!);
    await create('wrong-subject', pems['jane']!, 'system:bootstrap:abcdef|system:bootstrappers');
    await create('node-csr', pems['w1']!, 'system:bootstrap:abcdef|system:bootstrappers,system:authenticated');
    await eventually(async () => {
      expect(await conditions('node-csr')).toMatchObject([{
        type: 'Approved', status: 'True', reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.',
      }]);
    });
    expect((await conditions('node-csr'))[0]?.lastTransitionTime).toMatch(/Z$/);
    expect(await conditions('by-admin')).toEqual([]);
    expect(await conditions('wrong-subject')).toEqual([]);
  });

  it('leaves a node’s serving CSR Pending until its Node lists the SANs, then approves it', async () => {
    env = await startControllerEnv({ gc: false, authenticator: headerAuth });
    env.start(createCsrApproverController(env.ctx));
    const res = await env.server.request('POST', URL, {
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'serving' },
      spec: { request: Buffer.from(pems['san']!).toString('base64'), signerName: KUBELET_SERVING_SIGNER, usages: ['digital signature', 'server auth'] },
    }, { 'x-user': 'system:node:w1|system:nodes,system:authenticated' });
    expect(res.status, res.text).toBe(201);
    // a later client renewal approved: the serving request before it was looked at (one worker, FIFO)
    await create('renewal', pems['w1']!, 'system:node:w1|system:nodes,system:authenticated');
    await eventually(async () => { expect((await conditions('renewal'))[0]?.type).toBe('Approved'); });
    expect(await conditions('serving')).toEqual([]);
    await env.client.create(NODES, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1' } });
    await eventually(async () => {
      expect(await conditions('serving')).toMatchObject([{ type: 'Approved', reason: 'AutoApproved', message: 'Auto approving self kubelet serving certificate.' }]);
    });
  });
});
