import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from './decode.js';
import { UNKNOWN_TYPE, k8sRoot } from './schema.js';

/** What `kubectl certificate approve` PUTs to /approval: the CSR as a typed client encodes it. */
function encodeCsr(csr: Record<string, unknown>): Uint8Array {
  const root = k8sRoot();
  const raw = root.lookupType('k8s.io.api.certificates.v1.CertificateSigningRequest').encode(csr).finish();
  const env = root.lookupType(UNKNOWN_TYPE).encode({ typeMeta: { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest' }, raw }).finish();
  return new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...env]);
}

describe('certificates.k8s.io/v1 protobuf', () => {
  it('decodes a CertificateSigningRequest: bytes become base64, extra values become lists', () => {
    const body = encodeCsr({
      metadata: { name: 'jane' },
      spec: { request: Buffer.from('PEM'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], username: 'admin', groups: ['system:masters'], extra: { scopes: { items: ['a', 'b'] } }, expirationSeconds: 3600 },
      status: { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', lastUpdateTime: { seconds: 1704067200 } }] },
    });
    const { object } = decodeProtobufObject(body);
    expect(object).toEqual({
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'jane' },
      spec: { request: 'UEVN', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], username: 'admin', groups: ['system:masters'], extra: { scopes: ['a', 'b'] }, expirationSeconds: 3600 },
      status: { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', lastUpdateTime: '2024-01-01T00:00:00Z' }] },
    });
  });
});
