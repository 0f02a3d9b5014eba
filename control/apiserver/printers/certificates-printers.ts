import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column } from './columns.js';
import { NONE } from './cell-format.js';
import { humanDuration, sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';

/** upstream printCertificateSigningRequest and extractCSRStatus. */

/** Denied / Approved / Pending, then ",Failed" and ",Issued" (precedence as upstream). */
export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let out = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) out += ',Failed';
  if (csr.status?.certificate) out += ',Issued';
  return out;
}

export const csrPrinter = definePrinter<CertificateSigningRequest>([
  NAME_COLUMN,
  AGE_COLUMN,
  column('SignerName', 'string', 'signerName indicates the requested signer, and is a qualified name.'),
  column('Requestor', 'string', 'request contains an x509 certificate signing request encoded in a "CERTIFICATE REQUEST" PEM block. When serialized as JSON or YAML, the data is additionally base64-encoded.'),
  column('RequestedDuration', 'string', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
  column('Condition', 'string', 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".'),
], (csr, ctx) => [
  csr.metadata?.name ?? '',
  sinceTimestamp(csr.metadata?.creationTimestamp, ctx.now),
  csr.spec?.signerName || NONE,
  csr.spec?.username ?? '',
  csr.spec?.expirationSeconds !== undefined ? humanDuration(csr.spec.expirationSeconds * 1000) : NONE,
  csrCondition(csr),
]);
