/**
 * The kubelet's TLS bootstrap: with the bootstrap token, send a CertificateSigningRequest for a
 * client certificate (signer kube-apiserver-client-kubelet, subject system:node:<name> /
 * system:nodes); the control plane approves and signs it. Then, as the node, the same for the node
 * API's serving certificate (signer kubelet-serving, the node's addresses as SANs).
 */
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { KubeObject } from '../api/object.js';
import { findResource } from '../api/resources.js';
import { isApiError } from '../api/status.js';
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
    const deadline = Date.now() + (r.timeoutMs ?? 60_000);
    const csr: Csr = {
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest',
      metadata: { generateName: r.signerName.endsWith('serving') ? 'csr-' : 'node-csr-' },
      spec: { request: Buffer.from(csrPem).toString('base64'), signerName: r.signerName, usages: r.usages },
    } as Csr;
    let created: Csr | undefined;
    const authDeadline = Date.now() + 10_000;
    while (!created) {
      try {
        created = await client.create<Csr>(CSRS, undefined, csr);
      } catch (err) {
        // a token created a moment ago may not be known to the API server's token cache yet
        if (!(isApiError(err) && err.code === 401) || Date.now() > authDeadline) throw err;
        await new Promise((res) => setTimeout(res, 250));
      }
    }
    const name = created.metadata?.name ?? '';
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
