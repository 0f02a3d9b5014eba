/**
 * Which CSRs the approver approves on its own (upstream's sarapprove recognizers): kubelet client
 * certificate requests (signer kube-apiserver-client-kubelet, kubeletClientCsrError clean), either
 * from a bootstrapping node (`nodeclient`) or a node renewing its own certificate
 * (`selfnodeclient`, requestor = subject CN). tinykube has no RBAC, so the
 * SubjectAccessReview upstream makes is the fixed grant kubeadm installs: `nodeclient` for the
 * group system:bootstrappers, `selfnodeclient` for the group system:nodes.
 *
 * One addition of ours (upstream leaves these to an admin or an external approver; k3s signs them
 * itself): a node's kubelet serving certificate request (`selfnodeserving`), so the API server can
 * verify the node API it proxies logs/exec/port-forward to, only when every SAN is the node's own
 * name or one of its Node's addresses (serving-sans.ts); any other stays pending for an admin.
 */
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { ParsedCsr } from '../../pki/csr.js';
import { KUBELET_SERVING_SIGNER, KUBE_APISERVER_CLIENT_KUBELET_SIGNER, kubeletClientCsrError, kubeletServingCsrError } from '../shared/csr.js';
import { servingSansError } from './serving-sans.js';
import type { ServingSanFacts } from './serving-sans.js';

export const AUTO_APPROVED_REASON = 'AutoApproved';

export interface AutoApproval {
  /** Upstream's permission subresource: what the requestor was allowed to do. */
  permission: 'selfnodeclient' | 'nodeclient' | 'selfnodeserving';
  message: string;
}

interface Recognizer extends AutoApproval {
  recognize(csr: CertificateSigningRequest, req: ParsedCsr, facts: ServingSanFacts): boolean;
  /** Stand-in for the SubjectAccessReview. */
  allowed(groups: readonly string[]): boolean;
}

const isNodeClient = (csr: CertificateSigningRequest, req: ParsedCsr): boolean =>
  csr.spec.signerName === KUBE_APISERVER_CLIENT_KUBELET_SIGNER && kubeletClientCsrError(req, csr.spec.usages ?? []) === undefined;

const isNodeServing = (csr: CertificateSigningRequest, req: ParsedCsr): boolean =>
  csr.spec.signerName === KUBELET_SERVING_SIGNER && kubeletServingCsrError(req, csr.spec.usages ?? []) === undefined;

const RECOGNIZERS: readonly Recognizer[] = [
  {
    permission: 'selfnodeclient',
    message: 'Auto approving self kubelet client certificate after SubjectAccessReview.',
    recognize: (csr, req) => csr.spec.username === req.commonName && isNodeClient(csr, req),
    allowed: (groups) => groups.includes('system:nodes'),
  },
  {
    permission: 'nodeclient',
    message: 'Auto approving kubelet client certificate after SubjectAccessReview.',
    recognize: isNodeClient,
    allowed: (groups) => groups.includes('system:bootstrappers'),
  },
  {
    permission: 'selfnodeserving',
    message: 'Auto approving self kubelet serving certificate.',
    recognize: (csr, req, facts) => csr.spec.username === req.commonName && isNodeServing(csr, req)
      && servingSansError(req, req.commonName.slice('system:node:'.length), facts) === undefined,
    allowed: (groups) => groups.includes('system:nodes'),
  },
];

/** The approval for `csr`, or undefined when it must wait for an admin. Pure. */
export function autoApproval(csr: CertificateSigningRequest, req: ParsedCsr, facts: ServingSanFacts): AutoApproval | undefined {
  const groups = csr.spec.groups ?? [];
  for (const r of RECOGNIZERS) {
    if (r.recognize(csr, req, facts) && r.allowed(groups)) return { permission: r.permission, message: r.message };
  }
  return undefined;
}
