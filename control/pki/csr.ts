/**
 * PKCS#10 certificate requests (the `spec.request` of a CertificateSigningRequest): parsed
 * synchronously, signature checked with node:crypto, errors worded as Go's crypto/x509 and
 * k8s.io/kubernetes/pkg/apis/certificates.ParseCSR word them (the API shows them verbatim).
 */
import { createPublicKey, verify } from 'node:crypto';
import { PkiError } from './types.js';
import { x509 } from './x509.js';

export interface ParsedCsr {
  /** Subject common name ('' when absent). */
  commonName: string;
  /** Subject organizations, in order. */
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** SubjectPublicKeyInfo, DER. */
  publicKeyDer: Uint8Array;
  /** The parsed request, for signing. */
  request: x509.Pkcs10CertificateRequest;
}

const BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n((?:[^\r\n]*:[^\r\n]*\r?\n)*)\r?\n?([A-Za-z0-9+/=\s]*?)-----END \1-----/;

/** The DER bytes of the first PEM block of `type`, or undefined (Go pem.Decode takes the first block). */
function firstPemBlock(pem: string): { type: string; der: Buffer } | undefined {
  const m = BLOCK_RE.exec(pem);
  if (!m) return undefined;
  const body = (m[3] ?? '').replace(/\s+/g, '');
  if (body.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return undefined;
  return { type: m[1] ?? '', der: Buffer.from(body, 'base64') };
}

/** Reads one DER TLV at `at`: returns the whole element's end and the content's start. */
function tlv(der: Uint8Array, at: number): { start: number; end: number } {
  let p = at + 1;
  const first = der[p++];
  if (first === undefined) throw new RangeError('truncated');
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new RangeError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (der[p++] ?? 0);
  }
  if (p + len > der.length) throw new RangeError('truncated');
  return { start: p, end: p + len };
}

/** The DER of CertificationRequestInfo (what the signature covers). */
function signedPart(der: Uint8Array): Uint8Array {
  const outer = tlv(der, 0);
  const info = tlv(der, outer.start);
  return der.subarray(outer.start, info.end);
}

const HASHES: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function checkSignature(req: x509.Pkcs10CertificateRequest, der: Uint8Array): void {
  const alg = req.signatureAlgorithm as { name: string; hash?: { name: string } };
  const key = createPublicKey({ key: Buffer.from(req.publicKey.rawData), format: 'der', type: 'spki' });
  const data = signedPart(der);
  const sig = Buffer.from(req.signature);
  const hash = alg.hash ? HASHES[alg.hash.name] : undefined;
  let ok: boolean;
  let failure: string;
  if (alg.name === 'ECDSA') {
    ok = verify(hash ?? null, data, key, sig);
    failure = 'x509: ECDSA verification failure';
  } else if (alg.name === 'RSASSA-PKCS1-v1_5') {
    ok = verify(hash ?? null, data, key, sig);
    failure = 'crypto/rsa: verification error';
  } else if (alg.name === 'Ed25519') {
    ok = verify(null, data, key, sig);
    failure = 'x509: Ed25519 verification failure';
  } else {
    throw new PkiError('InvalidCsr', 'x509: cannot verify signature: algorithm unimplemented');
  }
  if (!ok) throw new PkiError('InvalidCsr', failure);
}

function sans(req: x509.Pkcs10CertificateRequest): Pick<ParsedCsr, 'dnsNames' | 'ipAddresses' | 'emailAddresses' | 'uris'> {
  const out = { dnsNames: [] as string[], ipAddresses: [] as string[], emailAddresses: [] as string[], uris: [] as string[] };
  const ext = req.getExtension(x509.SubjectAlternativeNameExtension.NAME) ?? req.extensions.find((e) => e.type === '2.5.29.17');
  if (!(ext instanceof x509.SubjectAlternativeNameExtension)) return out;
  for (const n of ext.names.items) {
    if (n.type === 'dns') out.dnsNames.push(n.value);
    else if (n.type === 'ip') out.ipAddresses.push(n.value);
    else if (n.type === 'email') out.emailAddresses.push(n.value);
    else if (n.type === 'url') out.uris.push(n.value);
  }
  return out;
}

/**
 * Parses a PEM "CERTIFICATE REQUEST" and checks its self-signature. Throws PkiError
 * ('InvalidCsr') whose message is the upstream one, e.g. `PEM block type must be CERTIFICATE REQUEST`.
 */
export function parseCsrPem(pem: string | Uint8Array): ParsedCsr {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('latin1');
  const block = firstPemBlock(text);
  if (!block || block.type !== 'CERTIFICATE REQUEST') throw new PkiError('InvalidCsr', 'PEM block type must be CERTIFICATE REQUEST');
  let req: x509.Pkcs10CertificateRequest;
  try {
    req = new x509.Pkcs10CertificateRequest(block.der);
    // the library parses lazily: touch what we read so malformed DER fails here
    void req.publicKey.rawData;
    void req.subjectName;
  } catch (err) {
    throw new PkiError('InvalidCsr', 'x509: malformed certificate request', { cause: err });
  }
  try {
    checkSignature(req, block.der);
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw new PkiError('InvalidCsr', 'x509: malformed signature', { cause: err });
  }
  const name = req.subjectName;
  return {
    commonName: name.getField('CN')[0] ?? '',
    organizations: name.getField('O'),
    ...sans(req),
    publicKeyDer: new Uint8Array(req.publicKey.rawData),
    request: req,
  };
}
