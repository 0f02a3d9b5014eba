/**
 * Key pairs: ECDSA P-256 for everything we generate; CA keys loaded from disk
 * may also be RSA or ECDSA P-384 (e.g. a CA reused from kubeadm).
 */
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { PkiError } from './types.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** A private key ready to sign certificates, with the matching signature algorithm. */
export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  signingAlgorithm: webcrypto.EcdsaParams | webcrypto.Algorithm;
}

const EC_P256: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SHA256: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** Generates an extractable ECDSA P-256 key pair. */
export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
}

/** Exports a private key as PEM PKCS#8 ("BEGIN PRIVATE KEY"). */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const keyObject = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return keyObject.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function parsePrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new PkiError('InvalidKey', 'parse private key', { cause: err });
  }
}

const CURVES: Record<string, { namedCurve: string; hash: string }> = {
  prime256v1: { namedCurve: 'P-256', hash: 'SHA-256' },
  secp384r1: { namedCurve: 'P-384', hash: 'SHA-384' },
};

/** Imports a PEM private key (PKCS#8, SEC1 or PKCS#1) for signing certificates. */
export async function importSigningKey(pem: string): Promise<SigningKey> {
  const priv = parsePrivateKey(pem);
  const pkcs8 = priv.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  if (priv.asymmetricKeyType === 'ec') {
    const curve = CURVES[priv.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve === undefined) {
      const name = String(priv.asymmetricKeyDetails?.namedCurve);
      throw new PkiError('InvalidKey', `import private key: unsupported curve ${name}`);
    }
    const alg: webcrypto.EcKeyImportParams = { name: 'ECDSA', namedCurve: curve.namedCurve };
    return {
      privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']),
      publicKey: await webcrypto.subtle.importKey('spki', spki, alg, true, ['verify']),
      signingAlgorithm: curve.hash === 'SHA-256' ? ECDSA_SHA256 : { name: 'ECDSA', hash: curve.hash },
    };
  }
  if (priv.asymmetricKeyType === 'rsa') {
    const alg: webcrypto.RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return {
      privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']),
      publicKey: await webcrypto.subtle.importKey('spki', spki, alg, true, ['verify']),
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' },
    };
  }
  throw new PkiError('InvalidKey', `import private key: unsupported key type ${String(priv.asymmetricKeyType)}`);
}

/** True when `keyPem` is the private half of the public key inside `certPem`. */
export function keyMatchesCert(certPem: string, keyPem: string): boolean {
  const fromCert = new X509Certificate(certPem).publicKey.export({ format: 'der', type: 'spki' });
  const fromKey = createPublicKey(parsePrivateKey(keyPem)).export({ format: 'der', type: 'spki' });
  return fromCert.equals(fromKey);
}
