/**
 * What the CSR approver and signer share (upstream pkg/apis/certificates/helpers.go and
 * pkg/controller/certificates): the well-known signer names, the approval state of a request, and
 * the shape a kubelet client certificate request must have.
 */
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { parseCsrPem } from '../../pki/csr.js';
import type { ParsedCsr } from '../../pki/csr.js';

export const CSRS = findResource('certificates.k8s.io', 'v1', 'certificatesigningrequests')!;

export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const KUBE_APISERVER_CLIENT_KUBELET_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';

export type Csr = CertificateSigningRequest & KubeObject;

const hasCondition = (csr: CertificateSigningRequest, type: string): boolean =>
  (csr.status?.conditions ?? []).some((c) => c.type === type && (c.status === 'True' || c.status === undefined || c.status === ''));

/** Approved and not Denied (upstream IsCertificateRequestApproved). */
export const isApproved = (csr: CertificateSigningRequest): boolean => hasCondition(csr, 'Approved') && !hasCondition(csr, 'Denied');
export const isDenied = (csr: CertificateSigningRequest): boolean => hasCondition(csr, 'Denied');
export const isFailed = (csr: CertificateSigningRequest): boolean => hasCondition(csr, 'Failed');
export const isIssued = (csr: CertificateSigningRequest): boolean => (csr.status?.certificate ?? '') !== '';

/** The request of a stored CSR, parsed (spec.request is base64 of the PEM in JSON). */
export function parsedRequest(csr: CertificateSigningRequest): ParsedCsr {
  return parseCsrPem(Buffer.from(csr.spec.request ?? '', 'base64'));
}

const sameSet = (a: ReadonlySet<string>, b: readonly string[]): boolean => a.size === b.length && b.every((x) => a.has(x));
const KUBELET_CLIENT_USAGES = ['digital signature', 'key encipherment', 'client auth'];
const KUBELET_CLIENT_USAGES_NO_RSA = ['digital signature', 'client auth'];

/**
 * Why `req` is not a kubelet client certificate request, or undefined when it is: subject
 * `O=system:nodes, CN=system:node:<name>`, no SANs, usages exactly digital signature + client auth
 * (key encipherment optional). Messages as upstream ValidateKubeletClientCSR.
 */
export function kubeletClientCsrError(req: ParsedCsr, usages: readonly string[]): string | undefined {
  if (req.organizations.length !== 1 || req.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (req.dnsNames.length > 0) return 'DNS subjectAltNames are not allowed';
  if (req.emailAddresses.length > 0) return 'Email subjectAltNames are not allowed';
  if (req.ipAddresses.length > 0) return 'IP subjectAltNames are not allowed';
  if (req.uris.length > 0) return 'URI subjectAltNames are not allowed';
  if (!req.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  const set = new Set(usages);
  if (!sameSet(set, KUBELET_CLIENT_USAGES) && !sameSet(set, KUBELET_CLIENT_USAGES_NO_RSA)) {
    return `usages did not match [${[...KUBELET_CLIENT_USAGES].sort().join(' ')}]`;
  }
  return undefined;
}

const KUBELET_SERVING_USAGES = ['digital signature', 'key encipherment', 'server auth'];
const KUBELET_SERVING_USAGES_NO_RSA = ['digital signature', 'server auth'];

/**
 * Why `req` is not a kubelet serving certificate request, or undefined when it is (upstream
 * ValidateKubeletServingCSR): subject `O=system:nodes, CN=system:node:<name>`, at least one DNS or
 * IP SAN, no email or URI SANs, usages digital signature + server auth (key encipherment optional).
 */
export function kubeletServingCsrError(req: ParsedCsr, usages: readonly string[]): string | undefined {
  if (req.organizations.length !== 1 || req.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (req.dnsNames.length === 0 && req.ipAddresses.length === 0) return 'DNS or IP subjectAltName is required';
  if (req.emailAddresses.length > 0) return 'Email subjectAltNames are not allowed';
  if (req.uris.length > 0) return 'URI subjectAltNames are not allowed';
  if (!req.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  const set = new Set(usages);
  if (!sameSet(set, KUBELET_SERVING_USAGES) && !sameSet(set, KUBELET_SERVING_USAGES_NO_RSA)) {
    return `usages did not match [${[...KUBELET_SERVING_USAGES].sort().join(' ')}]`;
  }
  return undefined;
}
