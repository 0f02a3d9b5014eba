import { X509Certificate, createPublicKey } from 'node:crypto';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../apiserver/testing/eventually.js';
import { createCa } from '../../pki/create-ca.js';
import { createCsr } from '../../pki/create-csr.js';
import { parseCsrPem } from '../../pki/csr.js';
import type { CertKeyPair } from '../../pki/types.js';
import { CSRS, KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBE_APISERVER_CLIENT_SIGNER } from '../shared/csr.js';
import type { Csr } from '../shared/csr.js';
import { startControllerEnv } from '../testing/controller-env.js';
import type { ControllerEnv } from '../testing/controller-env.js';
import { createCsrSignerController } from './csr-signer-controller.js';
import { MAX_SIGNING_DURATION_MS, signingDurationMs, signingPlan } from './signing-plan.js';

const approved = { type: 'Approved', status: 'True' };
let ca: CertKeyPair;
let janePem = '';
let nodePem = '';
beforeAll(async () => {
  ca = await createCa({ commonName: 'kubernetes' });
  janePem = (await createCsr({ commonName: 'jane', organizations: ['dev'] })).csrPem;
  nodePem = (await createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] })).csrPem;
});

const csr = (signerName: string, usages: string[], conditions: object[], extra: Partial<CertificateSigningRequest['spec']> = {}): CertificateSigningRequest =>
  ({ spec: { request: '', signerName, usages, ...extra }, status: { conditions: conditions as never } });

describe('signingPlan', () => {
  it.each<[string, CertificateSigningRequest, string]>([
    ['pending', csr(KUBE_APISERVER_CLIENT_SIGNER, ['client auth'], []), 'ignore'],
    ['denied', csr(KUBE_APISERVER_CLIENT_SIGNER, ['client auth'], [{ type: 'Denied', status: 'True' }]), 'ignore'],
    ['already failed', csr(KUBE_APISERVER_CLIENT_SIGNER, ['client auth'], [approved, { type: 'Failed', status: 'True' }]), 'ignore'],
    ['serving signer, not a node serving request', csr('kubernetes.io/kubelet-serving', ['server auth'], [approved]), 'fail:subject organization is not system:nodes'],
    ['another signer', csr('example.com/other', ['server auth'], [approved]), 'ignore'],
    ['approved client', csr(KUBE_APISERVER_CLIENT_SIGNER, ['digital signature', 'key encipherment', 'client auth'], [approved]), 'sign'],
    ['server auth for a client', csr(KUBE_APISERVER_CLIENT_SIGNER, ['client auth', 'server auth'], [approved]), 'fail:invalid usage for client certificate: server auth'],
    ['no client auth', csr(KUBE_APISERVER_CLIENT_SIGNER, ['digital signature'], [approved]), 'fail:missing required usage for client certificate: client auth'],
    ['kubelet signer, not a node subject', csr(KUBE_APISERVER_CLIENT_KUBELET_SIGNER, ['digital signature', 'client auth'], [approved]), 'fail:subject organization is not system:nodes'],
  ])('%s', (_n, c, want) => {
    const plan = signingPlan(c, parseCsrPem(janePem));
    expect(plan.action === 'fail' ? `fail:${plan.message}` : plan.action).toBe(want);
  });

  it('bounds the duration to [10m, 1y]', () => {
    expect(signingDurationMs(undefined)).toBe(MAX_SIGNING_DURATION_MS);
    expect(signingDurationMs(3600)).toBe(3600_000);
    expect(signingDurationMs(10 * 365 * 86400)).toBe(MAX_SIGNING_DURATION_MS);
  });
});

describe('CsrSignerController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });

  const create = async (name: string, pem: string, signerName: string, usages: string[], expirationSeconds?: number): Promise<void> => {
    const obj = await env.client.create<Csr>(CSRS, undefined, {
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
      spec: { request: Buffer.from(pem).toString('base64'), signerName, usages, ...(expirationSeconds ? { expirationSeconds } : {}) },
    });
    obj.status = { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove' }] };
    await env.client.update(CSRS, obj, { subresource: 'approval' });
  };
  const get = (name: string) => env.client.get<Csr>(CSRS, undefined, name);

  it('signs approved requests with the cluster CA and fails the ones it refuses', async () => {
    env = await startControllerEnv({ gc: false, options: { ca } });
    env.start(createCsrSignerController(env.ctx));
    await create('jane', janePem, KUBE_APISERVER_CLIENT_SIGNER, ['digital signature', 'client auth'], 3600);
    await create('node', nodePem, KUBE_APISERVER_CLIENT_KUBELET_SIGNER, ['digital signature', 'key encipherment', 'client auth']);
    await create('server', janePem, KUBE_APISERVER_CLIENT_SIGNER, ['server auth', 'client auth']);

    const certOf = async (name: string) => {
      let pem = '';
      await eventually(async () => { pem = Buffer.from((await get(name)).status?.certificate ?? '', 'base64').toString(); expect(pem).toContain('BEGIN CERTIFICATE'); });
      return new X509Certificate(pem);
    };
    const jane = await certOf('jane');
    expect(jane.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(jane.subject).toBe('O=dev\nCN=jane');
    expect(jane.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    const spki = (k: ReturnType<typeof createPublicKey>) => k.export({ format: 'der', type: 'spki' });
    expect(spki(jane.publicKey)).toEqual(spki(createPublicKey({ key: Buffer.from(parseCsrPem(janePem).publicKeyDer), format: 'der', type: 'spki' })));
    const lifetime = new Date(jane.validTo).getTime() - new Date(jane.validFrom).getTime();
    expect(lifetime).toBeGreaterThan(3600_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000 + 5 * 60_000 + 1000);

    const node = await certOf('node');
    expect(node.subject).toBe('O=system:nodes\nCN=system:node:w1');

    await eventually(async () => {
      expect((await get('server')).status?.conditions?.find((c) => c.type === 'Failed'))
        .toMatchObject({ status: 'True', reason: 'SignerValidationFailure', message: 'invalid usage for client certificate: server auth' });
    });
    expect((await get('server')).status?.certificate).toBeUndefined();
  });

  it('does nothing without a CA', async () => {
    env = await startControllerEnv({ gc: false });
    const ac = new AbortController();
    ac.abort();
    await createCsrSignerController(env.ctx).run(ac.signal);
  });
});
