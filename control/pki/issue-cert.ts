/**
 * Leaf certificates signed by the cluster CA: client certs (user = CN,
 * groups = O, the Kubernetes convention) and serving certs (kubelet :10250).
 */
import { exportPrivateKeyPem, generateKeyPair, importSigningKey } from './keys.js';
import { toGeneralNames } from './hosts.js';
import type { CertKeyPair, Pki } from './types.js';
import { PkiError } from './types.js';
import { randomSerial, validity } from './validity.js';
import { x509 } from './x509.js';

export const LEAF_DAYS = 365;

/** The CA half of a Pki is all that signing needs. */
export type CaPair = Pick<Pki, 'caCertPem' | 'caKeyPem'>;

export interface ClientCertOptions {
  /** The user name, e.g. `system:node:worker-1` or `kubernetes-admin`. */
  commonName: string;
  /** The groups, e.g. `['system:nodes']` or `['system:masters']`. */
  organizations?: readonly string[];
  /** Validity in days, default 365. */
  days?: number;
  now?: Date;
}

export interface ServingCertOptions {
  commonName: string;
  /** IP addresses and DNS names for the SAN extension (at least one). */
  hosts: readonly string[];
  days?: number;
  now?: Date;
}

interface LeafOptions {
  subject: Record<string, string[]>[];
  usage: x509.ExtendedKeyUsage;
  sans?: { type: 'ip' | 'dns'; value: string }[];
  days: number;
  now: Date;
}

function parseCaCert(pem: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(pem);
  } catch (err) {
    throw new PkiError('InvalidCa', 'parse CA certificate', { cause: err });
  }
}

async function issueLeaf(ca: CaPair, opts: LeafOptions): Promise<CertKeyPair> {
  const caCert = parseCaCert(ca.caCertPem);
  const signer = await importSigningKey(ca.caKeyPem);
  const keys = await generateKeyPair();
  // Reuse the CA's own subject key id so OpenSSL's issuer check (AKI == SKI) holds for foreign CAs too.
  const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = caSki
    ? new x509.AuthorityKeyIdentifierExtension(caSki.keyId)
    : await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([opts.usage]),
    aki,
  ];
  if (opts.sans !== undefined) extensions.push(new x509.SubjectAlternativeNameExtension(opts.sans));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: opts.subject,
    issuer: caCert.subjectName,
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signer.signingAlgorithm,
    ...validity(opts.now, opts.days),
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/** Issues a client certificate (EKU clientAuth): CN = user name, one O per group. */
export async function issueClientCert(ca: CaPair, opts: ClientCertOptions): Promise<CertKeyPair> {
  if (opts.commonName === '') throw new PkiError('InvalidSubject', 'issue client certificate: empty common name');
  const subject = [
    ...(opts.organizations ?? []).map((o) => ({ O: [o] })),
    { CN: [opts.commonName] },
  ];
  return issueLeaf(ca, {
    subject,
    usage: x509.ExtendedKeyUsage.clientAuth,
    days: opts.days ?? LEAF_DAYS,
    now: opts.now ?? new Date(),
  });
}

/** Issues a serving certificate (EKU serverAuth) with the given IP/DNS SANs. */
export async function issueServingCert(ca: CaPair, opts: ServingCertOptions): Promise<CertKeyPair> {
  const sans = toGeneralNames(opts.hosts);
  if (sans.length === 0) throw new PkiError('InvalidHost', 'issue serving certificate: no hosts');
  return issueLeaf(ca, {
    subject: [{ CN: [opts.commonName] }],
    usage: x509.ExtendedKeyUsage.serverAuth,
    sans,
    days: opts.days ?? LEAF_DAYS,
    now: opts.now ?? new Date(),
  });
}
