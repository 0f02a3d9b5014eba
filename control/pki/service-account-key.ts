/**
 * The ServiceAccount token signing key pair, kubeadm's `sa.key` (RSA 2048, PKCS#1, 0600) and
 * `sa.pub` (PKIX "PUBLIC KEY"), created once beside the CA and never regenerated: every token
 * already handed out is signed with it.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { PkiError } from './types.js';
import { readOptional } from './read-optional.js';
import { writeFileAtomic } from './write-file-atomic.js';

export const SA_KEY_FILE = 'sa.key';
export const SA_PUB_FILE = 'sa.pub';

/** The signing key, its public half and upstream's key id for it. */
export interface ServiceAccountKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** base64url (unpadded) of the SHA-256 of the DER (PKIX) public key: upstream's keyIDFromPublicKey. */
  keyId: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

/** PURE. upstream's key id of a public key. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('base64url');
}

/** Builds the key from its PEM private key (any format node reads). */
export function serviceAccountKeyFromPem(privateKeyPem: string): ServiceAccountKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (err) {
    throw new PkiError('InvalidKey', `parse ${SA_KEY_FILE}`, { cause: err });
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw new PkiError('InvalidKey', `${SA_KEY_FILE} is not an RSA key`);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey, publicKey, keyId: keyIdOf(publicKey), privateKeyPem,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** A fresh RSA 2048 key (tests and first start). */
export function generateServiceAccountKey(): ServiceAccountKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return serviceAccountKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
}

/** Loads `<dir>/sa.key` (writing a missing `sa.pub` from it), or creates both. Idempotent. */
export async function ensureServiceAccountKey(dir: string): Promise<ServiceAccountKey> {
  const keyPath = join(dir, SA_KEY_FILE);
  const pubPath = join(dir, SA_PUB_FILE);
  const pem = await readOptional(keyPath);
  const key = pem === undefined ? generateServiceAccountKey() : serviceAccountKeyFromPem(pem);
  try {
    if (pem === undefined) await writeFileAtomic(keyPath, key.privateKeyPem, 0o600);
    else await chmod(keyPath, 0o600); // tightened if someone loosened it
    if ((await readOptional(pubPath)) !== key.publicKeyPem) await writeFileAtomic(pubPath, key.publicKeyPem, 0o644);
  } catch (err) {
    throw new PkiError('Io', `write ${SA_KEY_FILE} in ${dir}`, { cause: err });
  }
  return key;
}
