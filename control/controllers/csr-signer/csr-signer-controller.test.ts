import { X509Certificate, createPublicKey } from 'node:crypto';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually } from '../../../test/helpers/eventually.js';
import { createCa } from '../../pki/create-ca.js';
import { createCsr } from '../../pki/create-csr.js';
import { parseCsrPem } from '../../pki/csr.js';
import type { CertKeyPair } from '../../pki/types.js';
import { CSRS, KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBE_APISERVER_CLIENT_SIGNER } from '../shared/csr.js';
import type { Csr } from '../shared/csr.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { createCsrSignerController } from './csr-signer-controller.js';
import { MAX_SIGNING_DURATION_MS, signingDurationMs, signingPlan } from './signing-plan.js';

const approved = { type: 'Approved', status: 'True' };
let ca: CertKeyPair;
let otherCa: CertKeyPair;
let janePem = '';
let nodePem = '';
beforeAll(async () => {
  ca = await createCa({ commonName: 'kubernetes' });
  otherCa = await createCa({ commonName: 'other-ca' });
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
  const certOf = async (name: string): Promise<X509Certificate> => {
    let pem = '';
    await eventually(async () => { pem = Buffer.from((await get(name)).status?.certificate ?? '', 'base64').toString(); expect(pem).toContain('BEGIN CERTIFICATE'); });
    return new X509Certificate(pem);
  };
  /** Whether `cert` chains to `by`: its issuer is the CA's subject and its signature verifies with the CA's public key. */
  const chain = (cert: X509Certificate, by: CertKeyPair) => {
    const caCert = new X509Certificate(by.certPem);
    return { issuer: cert.issuer === caCert.subject, issuedBy: cert.checkIssued(caCert), signature: cert.verify(caCert.publicKey) };
  };
  const CHAINS = { issuer: true, issuedBy: true, signature: true };
  const BROKEN = { issuer: false, issuedBy: false, signature: false };

  it('signs approved requests with the cluster CA and fails the ones it refuses', async () => {
    env = await startControllerEnv({ gc: false, options: { ca } });
    env.start(createCsrSignerController(env.ctx));
    await create('jane', janePem, KUBE_APISERVER_CLIENT_SIGNER, ['digital signature', 'client auth'], 3600);
    await create('node', nodePem, KUBE_APISERVER_CLIENT_KUBELET_SIGNER, ['digital signature', 'key encipherment', 'client auth']);
    await create('server', janePem, KUBE_APISERVER_CLIENT_SIGNER, ['server auth', 'client auth']);

    const jane = await certOf('jane');
    expect(chain(jane, ca)).toEqual(CHAINS);
    expect(chain(jane, otherCa)).toEqual(BROKEN); // the check can fail: another CA's key does not verify it
    expect(jane.issuer).toBe('CN=kubernetes');
    expect(jane.subject).toBe('O=dev\nCN=jane');
    expect(jane.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    const spki = (k: ReturnType<typeof createPublicKey>) => k.export({ format: 'der', type: 'spki' });
    expect(spki(jane.publicKey)).toEqual(spki(createPublicKey({ key: Buffer.from(parseCsrPem(janePem).publicKeyDer), format: 'der', type: 'spki' })));
    const lifetime = new Date(jane.validTo).getTime() - new Date(jane.validFrom).getTime();
    expect(lifetime).toBeGreaterThan(3600_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000 + 5 * 60_000 + 1000);

    const node = await certOf('node');
    expect(chain(node, ca)).toEqual(CHAINS);
    expect(node.subject).toBe('O=system:nodes\nCN=system:node:w1');

    await eventually(async () => {
      expect((await get('server')).status?.conditions?.find((c) => c.type === 'Failed'))
        .toMatchObject({ status: 'True', reason: 'SignerValidationFailure', message: 'invalid usage for client certificate: server auth' });
    });
    expect((await get('server')).status?.certificate).toBeUndefined();
  });

  it('signs with the CA it is given: a certificate from another CA does not chain to the cluster CA', async () => {
    env = await startControllerEnv({ gc: false, options: { ca: otherCa } });
    env.start(createCsrSignerController(env.ctx));
    await create('jane', janePem, KUBE_APISERVER_CLIENT_SIGNER, ['client auth']);
    const jane = await certOf('jane');
    expect(chain(jane, otherCa)).toEqual(CHAINS);
    expect(chain(jane, ca)).toEqual(BROKEN);
  });

  it('without a CA it watches nothing and an approved request stays unsigned and not failed', async () => {
    env = await startControllerEnv({ gc: false });
    const witness = env.ctx.informers.for<Csr>(CSRS);
    const subscribe = vi.spyOn(env.ctx.informers, 'for');
    env.start(createCsrSignerController(env.ctx));
    await create('jane', janePem, KUBE_APISERVER_CLIENT_SIGNER, ['client auth']);
    await create('server', janePem, KUBE_APISERVER_CLIENT_SIGNER, ['server auth']); // a signer would fail this one without a CA
    // the shared informers delivered both approved requests: a signer would have been handed them
    await eventually(() => {
      for (const n of ['jane', 'server']) expect(witness.cache.get(n)?.status?.conditions?.map((c) => c.type)).toEqual(['Approved']);
    });
    expect(subscribe).not.toHaveBeenCalled();
    for (const n of ['jane', 'server']) {
      const st = (await get(n)).status;
      expect(st?.certificate).toBeUndefined();
      expect(st?.conditions?.map((c) => c.type)).toEqual(['Approved']);
    }
  });
});
