/** The control plane's CA and API server serving pair, as PEM text. */
export interface Pki {
  /** PEM "CERTIFICATE" of the cluster CA (ca.crt). */
  caCertPem: string;
  /** PEM PKCS#8 "PRIVATE KEY" of the cluster CA (ca.key, mode 0600). */
  caKeyPem: string;
  /** PEM "CERTIFICATE" the API server serves (apiserver.crt). */
  serverCertPem: string;
  /** PEM PKCS#8 "PRIVATE KEY" of the serving certificate (apiserver.key, mode 0600). */
  serverKeyPem: string;
  /** PEM private key that signs ServiceAccount tokens (sa.key, RSA, mode 0600; sa.pub beside it). */
  serviceAccountKeyPem: string;
  /** Directory the files live in. */
  dir: string;
}

/** A certificate and its private key, both PEM. */
export interface CertKeyPair {
  certPem: string;
  keyPem: string;
}

export const PKI_ERROR_CODES = ['InvalidHost', 'InvalidSubject', 'InvalidKey', 'InvalidCa', 'InvalidCsr', 'Io'] as const;
export type PkiErrorCode = (typeof PKI_ERROR_CODES)[number];

/** Error with a stable code; callers switch on `code`, never on the message. */
export class PkiError extends Error {
  constructor(
    readonly code: PkiErrorCode,
    message: string,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = 'PkiError';
  }
}
