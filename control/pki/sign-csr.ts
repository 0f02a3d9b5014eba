/**
 * Signs a certificate request with the cluster CA, as the kube-controller-manager's signer
 * (k8s.io/kubernetes/pkg/controller/certificates/authority) does: subject, SANs and public key
 * come from the request; key usages and extended key usages from the CSR's spec.usages; notBefore
 * is backdated 5 minutes and both ends are clamped to the CA's own validity.
 */
import { importSigningKey } from './keys.js';
import type { CaPair } from './issue-cert.js';
import type { ParsedCsr } from './csr.js';
import { PkiError } from './types.js';
import { randomSerial } from './validity.js';
import { x509 } from './x509.js';

const BACKDATE_MS = 5 * 60 * 1000;

const KEY_USAGES: Readonly<Record<string, number>> = {
  'signing': x509.KeyUsageFlags.digitalSignature,
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
};

const EXT_KEY_USAGES: Readonly<Record<string, string>> = {
  'any': '2.5.29.37.0',
  'server auth': x509.ExtendedKeyUsage.serverAuth,
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'code signing': x509.ExtendedKeyUsage.codeSigning,
  'email protection': x509.ExtendedKeyUsage.emailProtection,
  's/mime': x509.ExtendedKeyUsage.emailProtection,
  'ipsec end system': '1.3.6.1.5.5.7.3.5',
  'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
  'ipsec user': '1.3.6.1.5.5.7.3.7',
  'timestamping': x509.ExtendedKeyUsage.timeStamping,
  'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
  'netscape sgc': '2.16.840.1.113730.4.1',
};

export interface SignCsrOptions {
  /** The CSR's spec.usages. */
  usages: readonly string[];
  /** Requested validity; the caller applies its own bounds. */
  durationMs: number;
  now: Date;
}

/** Key usage bits and extended key usage OIDs for spec.usages (upstream keyUsagesFromStrings). */
export function usageExtensions(usages: readonly string[]): { keyUsage: number; extKeyUsages: string[] } {
  let keyUsage = 0;
  const ext = new Set<string>();
  for (const u of usages) {
    const k = KEY_USAGES[u];
    const e = EXT_KEY_USAGES[u];
    if (k !== undefined) keyUsage |= k;
    else if (e !== undefined) ext.add(e);
    else throw new PkiError('InvalidCsr', `unrecognized usage: ${u}`);
  }
  return { keyUsage, extKeyUsages: [...ext].sort() };
}

/** Issues the certificate for `csr` (PEM "CERTIFICATE"). */
export async function signCsr(ca: CaPair, csr: ParsedCsr, opts: SignCsrOptions): Promise<string> {
  let caCert: x509.X509Certificate;
  try {
    caCert = new x509.X509Certificate(ca.caCertPem);
  } catch (err) {
    throw new PkiError('InvalidCa', 'parse CA certificate', { cause: err });
  }
  const signer = await importSigningKey(ca.caKeyPem);
  const { keyUsage, extKeyUsages } = usageExtensions(opts.usages);
  const now = opts.now.getTime();
  const notBefore = new Date(Math.max(now - BACKDATE_MS, caCert.notBefore.getTime()));
  const notAfter = new Date(Math.min(now + opts.durationMs, caCert.notAfter.getTime()));
  const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    caSki ? new x509.AuthorityKeyIdentifierExtension(caSki.keyId) : await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ];
  if (keyUsage !== 0) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  if (extKeyUsages.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(extKeyUsages));
  const sans = [
    ...csr.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...csr.emailAddresses.map((value) => ({ type: 'email' as const, value })),
    ...csr.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
    ...csr.uris.map((value) => ({ type: 'url' as const, value })),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: csr.request.subjectName,
    issuer: caCert.subjectName,
    publicKey: csr.request.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signer.signingAlgorithm,
    notBefore,
    notAfter,
    extensions,
  });
  return cert.toString('pem');
}
