/**
 * The kubelet's TLS bootstrap: with the bootstrap token, send a CertificateSigningRequest for a
 * client certificate (signer kube-apiserver-client-kubelet, subject system:node:<name> /
 * system:nodes); the control plane approves and signs it. Then, as the node, the same for the node
 * API's serving certificate (signer kubelet-serving, the node's addresses as SANs).
 */
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { KubeObject } from '../api/object.js';
import { findResource } from '../api/resources.js';
import { RestClient } from '../client/rest-client.js';
import { HttpsTransport } from '../client/transport.js';
import type { HttpsTransportOptions } from '../client/transport.js';
import { createCsr } from '../pki/create-csr.js';
import { JoinError } from './discovery.js';

const CSRS = findResource('certificates.k8s.io', 'v1', 'certificatesigningrequests')!;
type Csr = CertificateSigningRequest & KubeObject;

export interface Issued { certPem: string; keyPem: string; csrName: string }

export interface CsrRequest {
  /** How to reach and authenticate to the API server. */
  transport: HttpsTransportOptions;
  signerName: string;
  usages: string[];
  commonName: string;
  organizations: string[];
  sans?: { type: 'dns' | 'ip'; value: string }[];
  timeoutMs?: number;
}

/** Sends the CSR and waits for its certificate (or its denial/failure). */
export async function requestCertificate(r: CsrRequest): Promise<Issued> {
  const { csrPem, keyPem } = await createCsr({ commonName: r.commonName, organizations: r.organizations, ...(r.sans ? { sans: r.sans } : {}) });
  const transport = new HttpsTransport(r.transport);
  const client = new RestClient(transport);
  try {
    const created = await client.create<Csr>(CSRS, undefined, {
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest',
      metadata: { generateName: r.signerName.endsWith('serving') ? 'csr-' : 'node-csr-' },
      spec: { request: Buffer.from(csrPem).toString('base64'), signerName: r.signerName, usages: r.usages },
    } as Csr);
    const name = created.metadata?.name ?? '';
    const deadline = Date.now() + (r.timeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      const csr = await client.get<Csr>(CSRS, undefined, name);
      const bad = csr.status?.conditions?.find((c) => c.type === 'Denied' || c.type === 'Failed');
      if (bad) throw new JoinError(`certificate signing request ${name} was ${bad.type === 'Denied' ? 'denied' : 'not signed'}: ${bad.message ?? bad.reason ?? ''}`);
      if (csr.status?.certificate) return { certPem: Buffer.from(csr.status.certificate, 'base64').toString('utf8'), keyPem, csrName: name };
      await new Promise((res) => setTimeout(res, 250));
    }
    throw new JoinError(`certificate signing request ${name} was not approved and signed within ${(r.timeoutMs ?? 60_000) / 1000}s (kubectl certificate approve ${name})`);
  } finally {
    transport.close();
  }
}
