/**
 * What the signer does with one CSR (upstream csrsigning's handle + isRequestForSignerFn +
 * duration), as a pure function: ignore it (not approved, already issued or failed, another
 * signer), fail it (signer-specific checks, reason SignerValidationFailure), or sign it for how long.
 */
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { ParsedCsr } from '../../pki/csr.js';
import {
  KUBELET_SERVING_SIGNER, KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBE_APISERVER_CLIENT_SIGNER, isApproved, isFailed, isIssued,
  kubeletClientCsrError, kubeletServingCsrError,
} from '../shared/csr.js';

/** kube-controller-manager's default --cluster-signing-duration (8760h). */
export const MAX_SIGNING_DURATION_MS = 365 * 24 * 3600 * 1000;
/** Twice the 5-minute backdate: the shortest certificate upstream issues. */
const MIN_SIGNING_DURATION_MS = 10 * 60 * 1000;

export const SIGNER_VALIDATION_FAILURE = 'SignerValidationFailure';

export type SigningPlan =
  | { action: 'ignore' }
  | { action: 'fail'; reason: string; message: string }
  | { action: 'sign'; durationMs: number };

/** Whether the signer looks at `csr` at all (before parsing its request). */
export function wantsToSign(csr: CertificateSigningRequest): boolean {
  const ours = csr.spec.signerName === KUBE_APISERVER_CLIENT_SIGNER || csr.spec.signerName === KUBE_APISERVER_CLIENT_KUBELET_SIGNER
    || csr.spec.signerName === KUBELET_SERVING_SIGNER;
  return ours && isApproved(csr) && !isFailed(csr) && !isIssued(csr);
}

/** upstream validAPIServerClientUsages: client auth required; digital signature, key encipherment optional. */
export function apiServerClientUsagesError(usages: readonly string[]): string | undefined {
  for (const u of usages) {
    if (u !== 'digital signature' && u !== 'key encipherment' && u !== 'client auth') return `invalid usage for client certificate: ${u}`;
  }
  return usages.includes('client auth') ? undefined : 'missing required usage for client certificate: client auth';
}

/** Requested validity, bounded to [10 min, 1 year]; 1 year when not requested. */
export function signingDurationMs(expirationSeconds: number | undefined): number {
  if (expirationSeconds === undefined) return MAX_SIGNING_DURATION_MS;
  return Math.min(MAX_SIGNING_DURATION_MS, Math.max(MIN_SIGNING_DURATION_MS, expirationSeconds * 1000));
}

export function signingPlan(csr: CertificateSigningRequest, req: ParsedCsr): SigningPlan {
  if (!wantsToSign(csr)) return { action: 'ignore' };
  const usages = csr.spec.usages ?? [];
  const problem = csr.spec.signerName === KUBE_APISERVER_CLIENT_KUBELET_SIGNER ? kubeletClientCsrError(req, usages)
    : csr.spec.signerName === KUBELET_SERVING_SIGNER ? kubeletServingCsrError(req, usages)
      : apiServerClientUsagesError(usages);
  if (problem !== undefined) return { action: 'fail', reason: SIGNER_VALIDATION_FAILURE, message: problem };
  return { action: 'sign', durationMs: signingDurationMs(csr.spec.expirationSeconds) };
}
