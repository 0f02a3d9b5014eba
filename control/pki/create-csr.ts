/**
 * A fresh key and a PKCS#10 request for it (what a node sends when it bootstraps its client
 * certificate): ECDSA P-256, subject CN = user name and one O per group.
 */
import type { webcrypto } from 'node:crypto';
import { exportPrivateKeyPem, generateKeyPair } from './keys.js';
import { PkiError } from './types.js';
import { x509 } from './x509.js';

const ECDSA_SHA256: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

export interface CreateCsrOptions {
  commonName: string;
  organizations?: readonly string[];
  /** DNS names / IPs for a SAN extension (serving requests); none by default. */
  sans?: readonly { type: 'dns' | 'ip'; value: string }[];
}

export interface CsrAndKey {
  /** PEM "CERTIFICATE REQUEST". */
  csrPem: string;
  /** PEM PKCS#8 "PRIVATE KEY". */
  keyPem: string;
}

export async function createCsr(opts: CreateCsrOptions): Promise<CsrAndKey> {
  if (opts.commonName === '') throw new PkiError('InvalidSubject', 'create certificate request: empty common name');
  const keys = await generateKeyPair();
  const name = [...(opts.organizations ?? []).map((o) => ({ O: [o] })), { CN: [opts.commonName] }];
  const extensions: x509.Extension[] = [];
  if (opts.sans && opts.sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension([...opts.sans]));
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name, keys, signingAlgorithm: ECDSA_SHA256, extensions,
  });
  return { csrPem: csr.toString('pem'), keyPem: await exportPrivateKeyPem(keys.privateKey) };
}
