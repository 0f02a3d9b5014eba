import { describe, expect, it } from 'vitest';
import { renderClusterInfoKubeconfig } from '../bootstrap-token/cluster-info.js';
import { computeDetachedSignature } from '../bootstrap-token/jws.js';
import { caCertHash } from '../pki/ca-cert-hash.js';
import { createCa } from '../pki/create-ca.js';
import { discover, verifyClusterInfo } from './discovery.js';

const token = { id: 'abcdef', secret: '0123456789abcdef' };

describe('token discovery', async () => {
  const ca = await createCa();
  const kubeconfig = renderClusterInfoKubeconfig({ server: 'https://10.0.0.7:6443', caCertPem: ca.certPem });
  const data = { kubeconfig, 'jws-kubeconfig-abcdef': computeDetachedSignature(kubeconfig, token.id, token.secret) };
  const pin = caCertHash(ca.certPem);

  it('trusts a signed cluster-info whose CA matches the pin', () => {
    expect(verifyClusterInfo(data, { token, caCertHashes: [pin] })).toEqual({ server: 'https://10.0.0.7:6443', caCertPem: ca.certPem });
  });

  it('refuses a wrong pin, a missing or bad signature, and no pin without the unsafe flag', () => {
    expect(() => verifyClusterInfo(data, { token, caCertHashes: [`sha256:${'1'.repeat(64)}`] })).toThrow(/none of the public keys ".*" are pinned/);
    expect(() => verifyClusterInfo(data, { token: { ...token, id: 'zzzzzz' }, caCertHashes: [pin] })).toThrow(/token id "zzzzzz" is invalid/);
    expect(() => verifyClusterInfo(data, { token: { ...token, secret: 'ffffffffffffffff' }, caCertHashes: [pin] })).toThrow(/failed to verify JWS signature/);
    expect(() => verifyClusterInfo({ ...data, kubeconfig: kubeconfig.replace('10.0.0.7', '10.6.6.6') }, { token, caCertHashes: [pin] })).toThrow(/failed to verify JWS signature/);
    expect(() => verifyClusterInfo(data, { token, caCertHashes: [] })).toThrow(/--ca-cert-hash pin is required/);
    expect(verifyClusterInfo(data, { token, caCertHashes: [], unsafeSkipCaVerification: true }).server).toBe('https://10.0.0.7:6443');
  });

  it('fetches cluster-info from the server it was given', async () => {
    let asked = '';
    const info = await discover({
      server: 'https://10.0.0.7:6443', token, caCertHashes: [pin],
      fetchUnverified: async (url) => { asked = url; return { status: 200, body: JSON.stringify({ data }) }; },
    });
    expect(asked).toBe('https://10.0.0.7:6443/api/v1/namespaces/kube-public/configmaps/cluster-info');
    expect(info.server).toBe('https://10.0.0.7:6443');
    await expect(discover({ server: 'https://10.0.0.7:6443', token, caCertHashes: [pin], fetchUnverified: async () => ({ status: 401, body: '' }) }))
      .rejects.toThrow(/HTTP 401/);
  });

  it('waits for cluster-info and for the signature of a fresh token; gives up after the timeout', async () => {
    const answers = [{ status: 404, body: '' }, { status: 200, body: JSON.stringify({ data: { kubeconfig } }) }, { status: 200, body: JSON.stringify({ data }) }];
    let calls = 0;
    const info = await discover({ server: 'https://10.0.0.7:6443', token, caCertHashes: [pin], retryMs: 1, fetchUnverified: async () => answers[Math.min(calls++, 2)]! });
    expect(calls).toBe(3);
    expect(info.server).toBe('https://10.0.0.7:6443');
    await expect(discover({ server: 'https://x:6443', token, caCertHashes: [pin], retryMs: 1, timeoutMs: 20, fetchUnverified: async () => ({ status: 404, body: '' }) }))
      .rejects.toThrow(/no cluster-info ConfigMap/);
    // a wrong pin is final: no retries
    calls = 0;
    await expect(discover({ server: 'https://x:6443', token, caCertHashes: [`sha256:${'1'.repeat(64)}`], retryMs: 1, fetchUnverified: async () => { calls++; return { status: 200, body: JSON.stringify({ data }) }; } }))
      .rejects.toThrow(/are pinned/);
    expect(calls).toBe(1);
  });
});
