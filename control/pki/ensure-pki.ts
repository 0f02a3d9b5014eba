/**
 * The control plane's PKI directory, created on first start and reused after.
 *
 *   <dir>/ca.crt  ca.key          cluster CA (10 years), never regenerated
 *   <dir>/sa.key  sa.pub          ServiceAccount token signing pair (RSA), never regenerated
 *   <dir>/apiserver.crt .key      serving cert (1 year), reissued when it no longer
 *                                 fits: missing, unreadable, wrong key, not from this
 *                                 CA, SANs not covering the hosts, or < 30 days left
 *
 * Idempotent: a second call with the same hosts changes nothing on disk.
 */
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createCa } from './create-ca.js';
import { apiServerHosts, certCoversHosts } from './hosts.js';
import { issueServingCert } from './issue-cert.js';
import { keyMatchesCert } from './keys.js';
import { ensureServiceAccountKey } from './service-account-key.js';
import type { CertKeyPair, Pki } from './types.js';
import { PkiError } from './types.js';
import { readOptional } from './read-optional.js';
import { writeFileAtomic } from './write-file-atomic.js';

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const SERVER_CERT_FILE = 'apiserver.crt';
export const SERVER_KEY_FILE = 'apiserver.key';
export const APISERVER_COMMON_NAME = 'kube-apiserver';
/** Reissue the serving certificate when less than this remains. */
export const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

const CERT_MODE = 0o644;
const KEY_MODE = 0o600;

export interface EnsurePkiOptions {
  /** e.g. /var/lib/tinykube/pki; created with mode 0700 if missing. */
  dir: string;
  /** Extra IPs and DNS names for the serving cert; the defaults of apiServerHosts() are always added. */
  hosts: readonly string[];
  /** First service IP (ClusterIP of `kubernetes`), default 10.96.0.1. */
  serviceIP?: string;
  clusterDomain?: string;
  now?: Date;
}

/** Keys loaded from disk are tightened to 0600 if someone loosened them. */
async function restrictKey(path: string): Promise<void> {
  try {
    await chmod(path, KEY_MODE);
  } catch (err) {
    throw new PkiError('Io', `chmod ${path}`, { cause: err });
  }
}

async function writePair(dir: string, files: { cert: string; key: string }, pair: CertKeyPair): Promise<void> {
  try {
    // Key first: a cert on disk always has its key next to it.
    await writeFileAtomic(join(dir, files.key), pair.keyPem, KEY_MODE);
    await writeFileAtomic(join(dir, files.cert), pair.certPem, CERT_MODE);
  } catch (err) {
    throw new PkiError('Io', `write ${files.cert} in ${dir}`, { cause: err });
  }
}

async function loadOrCreateCa(dir: string, now: Date): Promise<CertKeyPair> {
  const certPem = await readOptional(join(dir, CA_CERT_FILE));
  const keyPem = await readOptional(join(dir, CA_KEY_FILE));
  if (certPem === undefined && keyPem === undefined) {
    const ca = await createCa({ now });
    await writePair(dir, { cert: CA_CERT_FILE, key: CA_KEY_FILE }, ca);
    return ca;
  }
  if (certPem === undefined || keyPem === undefined) {
    const missing = certPem === undefined ? CA_CERT_FILE : CA_KEY_FILE;
    throw new PkiError('InvalidCa', `load CA from ${dir}: ${missing} is missing (refusing to replace the other half)`);
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new PkiError('InvalidCa', `load CA from ${dir}: parse ${CA_CERT_FILE}`, { cause: err });
  }
  if (!cert.ca) throw new PkiError('InvalidCa', `load CA from ${dir}: ${CA_CERT_FILE} is not a CA certificate`);
  if (!keyMatchesCert(certPem, keyPem)) {
    throw new PkiError('InvalidCa', `load CA from ${dir}: ${CA_KEY_FILE} does not match ${CA_CERT_FILE}`);
  }
  if (new Date(cert.validTo).getTime() <= now.getTime()) {
    throw new PkiError('InvalidCa', `load CA from ${dir}: ${CA_CERT_FILE} expired at ${cert.validTo}`);
  }
  await restrictKey(join(dir, CA_KEY_FILE));
  return { certPem, keyPem };
}

/** Why an existing serving pair must be reissued, or undefined if it is still good. */
export function servingCertProblem(opts: {
  caCertPem: string;
  pair: CertKeyPair;
  hosts: readonly string[];
  now: Date;
}): string | undefined {
  const { pair, hosts, now } = opts;
  try {
    const cert = new X509Certificate(pair.certPem);
    const caCert = new X509Certificate(opts.caCertPem);
    if (!keyMatchesCert(pair.certPem, pair.keyPem)) return 'key does not match certificate';
    if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return 'not signed by the CA';
    if (!certCoversHosts(pair.certPem, hosts)) return 'SANs do not cover hosts';
    if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return 'expiring';
    return undefined;
  } catch {
    // Unreadable files are replaced, exactly as missing ones are.
    return 'unreadable';
  }
}

async function loadOrIssueServing(
  opts: { dir: string; ca: CertKeyPair; hosts: readonly string[]; now: Date },
): Promise<CertKeyPair> {
  const { dir, ca, hosts, now } = opts;
  const certPem = await readOptional(join(dir, SERVER_CERT_FILE));
  const keyPem = await readOptional(join(dir, SERVER_KEY_FILE));
  const existing = certPem !== undefined && keyPem !== undefined ? { certPem, keyPem } : undefined;
  if (existing !== undefined && servingCertProblem({ caCertPem: ca.certPem, pair: existing, hosts, now }) === undefined) {
    await restrictKey(join(dir, SERVER_KEY_FILE));
    return existing;
  }
  const issued = await issueServingCert(
    { caCertPem: ca.certPem, caKeyPem: ca.keyPem },
    { commonName: APISERVER_COMMON_NAME, hosts, now },
  );
  await writePair(dir, { cert: SERVER_CERT_FILE, key: SERVER_KEY_FILE }, issued);
  return issued;
}

/** Loads or creates the CA and the API server serving certificate under `opts.dir`. */
export async function ensurePki(opts: EnsurePkiOptions): Promise<Pki> {
  const now = opts.now ?? new Date();
  const { dir } = opts;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new PkiError('Io', `create ${dir}`, { cause: err });
  }
  const ca = await loadOrCreateCa(dir, now);
  const server = await loadOrIssueServing({ dir, ca, hosts: apiServerHosts(opts), now });
  const sa = await ensureServiceAccountKey(dir);
  return {
    caCertPem: ca.certPem,
    caKeyPem: ca.keyPem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    serviceAccountKeyPem: sa.privateKeyPem,
    dir,
  };
}
