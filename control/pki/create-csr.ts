/**
 * A fresh key and a PKCS#10 request for it (what a node sends when it bootstraps its client
 * certificate): ECDSA P-256, subject one O per group then CN = user name, and a SAN extension
 * request when asked (serving certificates). Encoded here with node:crypto and der.ts, so the
 * agent, whose only request this is, never loads the X.509 library.
 */
import { generateKeyPair as generateKeyPairCb, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { bitString, generalName, octetString, oid, sequence, set, smallInteger, tlv, utf8String } from './der.js';
import { PkiError } from './types.js';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

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

const generateEcKeyPair = promisify(generateKeyPairCb);

/** PURE. The DER of a request's CertificationRequestInfo (what is signed). */
export function certificationRequestInfo(opts: CreateCsrOptions, spkiDer: Uint8Array): Buffer {
  const rdn = (type: string, value: string): Buffer => set(sequence(oid(type), utf8String(value)));
  const subject = sequence(
    ...(opts.organizations ?? []).map((o) => rdn(OID.organization, o)),
    rdn(OID.commonName, opts.commonName),
  );
  const attributes: Buffer[] = [];
  if (opts.sans && opts.sans.length > 0) {
    const san = sequence(oid(OID.subjectAltName), octetString(sequence(...opts.sans.map(generalName))));
    attributes.push(sequence(oid(OID.extensionRequest), set(sequence(san))));
  }
  return sequence(smallInteger(0), subject, spkiDer, tlv(0xa0, ...attributes));
}

function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export async function createCsr(opts: CreateCsrOptions): Promise<CsrAndKey> {
  if (opts.commonName === '') throw new PkiError('InvalidSubject', 'create certificate request: empty common name');
  const { privateKey, publicKey } = await generateEcKeyPair('ec', { namedCurve: 'P-256' }) as { privateKey: KeyObject; publicKey: KeyObject };
  let info: Buffer;
  try {
    info = certificationRequestInfo(opts, publicKey.export({ type: 'spki', format: 'der' }));
  } catch (err) {
    throw new PkiError('InvalidSubject', `create certificate request: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const signature = sign('sha256', info, privateKey); // DER ECDSA-Sig-Value
  const csr = sequence(info, sequence(oid(OID.ecdsaWithSha256)), bitString(signature));
  return { csrPem: toPem('CERTIFICATE REQUEST', csr), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
