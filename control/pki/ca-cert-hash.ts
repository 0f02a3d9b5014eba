/**
 * kubeadm's CA public-key pin, as passed to `kubeadm join
 * --discovery-token-ca-cert-hash`: "sha256:" + lowercase hex SHA-256 of the
 * CA certificate's DER SubjectPublicKeyInfo.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { PkiError } from './types.js';

export const CA_CERT_HASH_PREFIX = 'sha256:';

export function caCertHash(caCertPem: string): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(caCertPem);
  } catch (err) {
    throw new PkiError('InvalidCa', 'hash CA certificate: parse', { cause: err });
  }
  const spki = cert.publicKey.export({ format: 'der', type: 'spki' });
  return CA_CERT_HASH_PREFIX + createHash('sha256').update(spki).digest('hex');
}
