/** The self-signed cluster CA. */
import { exportPrivateKeyPem, generateKeyPair } from './keys.js';
import type { CertKeyPair } from './types.js';
import { randomSerial, validity } from './validity.js';
import { x509 } from './x509.js';

export const CA_COMMON_NAME = 'tinykube-ca';
export const CA_DAYS = 3650;

export interface CreateCaOptions {
  commonName?: string;
  days?: number;
  /** Clock, for tests. */
  now?: Date;
}

/**
 * Creates a self-signed ECDSA P-256 CA: basicConstraints CA:true (critical),
 * keyUsage keyCertSign|cRLSign|digitalSignature (critical), subject key id.
 */
export async function createCa(opts: CreateCaOptions = {}): Promise<CertKeyPair> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [opts.commonName ?? CA_COMMON_NAME] }],
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    ...validity(opts.now ?? new Date(), opts.days ?? CA_DAYS),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKeyPem(keys.privateKey) };
}
