/**
 * certificates.k8s.io/v1 CertificateSigningRequest validation, upstream's
 * pkg/apis/certificates/validation: the request must parse and be self-signed, usages known and
 * unique, signerName qualified (legacy-unknown refused), expirationSeconds ≥ 600, conditions
 * well formed; on update Approved/Denied/Failed never disappear, Approved/Denied change only
 * through /approval and status.certificate only through /status (once).
 */
import { X509Certificate } from 'node:crypto';
import { PkiError } from '../../pki/types.js';
import { parseCsrPem } from '../../pki/csr.js';
import type { FieldError } from '../status.js';
import { GoRaw, duplicate, forbidden, invalid, notSupported, required } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { list, num, rec, recs, str, type Obj } from './obj.js';
import { validateSignerName } from './signer-name.js';

export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

export const KEY_USAGES: readonly string[] = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment',
  'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing',
  'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing',
  'microsoft sgc', 'netscape sgc',
];
const SORTED_USAGES = [...KEY_USAGES].sort();
const TRUE_ONLY_TYPES = new Set(['Approved', 'Denied', 'Failed']);
const ALL_STATUSES = ['False', 'True', 'Unknown'];

/** What an update path may change (upstream certificateValidationOptions for the subresources). */
export interface CsrUpdateOptions {
  /** /approval: add or change Approved and Denied conditions. */
  allowSettingApprovalConditions?: boolean;
  /** /status: set status.certificate (once). */
  allowSettingCertificate?: boolean;
}

/** Decodes a base64 `[]byte` JSON field; undefined when it is not valid base64. */
export function decodeBytes(v: unknown): Buffer | undefined {
  const s = str(v);
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}

/** Go's %#v of a []byte: `[]byte{0x67, 0x61}`. */
function goBytes(b: Buffer): GoRaw {
  return new GoRaw(`[]byte{${[...b].map((x) => `0x${x.toString(16)}`).join(', ')}}`);
}

/** The upstream error for status.certificate content, or undefined when it is fine. */
function certificateError(pem: Buffer): string | undefined {
  if (pem.length === 0) return undefined;
  const text = pem.toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  if (blocks.length === 0) return 'must contain at least one CERTIFICATE PEM block';
  for (const b of blocks) {
    if (b[1] !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found "${b[1] ?? ''}"`;
    if (/^[^\r\n]*:/m.test(b[2] ?? '')) return 'no PEM block headers are permitted';
    try {
      new X509Certificate(b[0]);
    } catch {
      // node's parser message differs from Go's; say what Go says for garbage DER
      return 'x509: malformed certificate';
    }
  }
  return undefined;
}

const conditionsOf = (o: Obj | undefined): Obj[] => recs(rec(o?.['status'])?.['conditions']);
const hasType = (o: Obj | undefined, type: string): boolean => conditionsOf(o).some((c) => str(c['type']) === type);
const certificateOf = (o: Obj | undefined): Buffer => decodeBytes(rec(o?.['status'])?.['certificate']) ?? Buffer.alloc(0);
const usagesOf = (o: Obj | undefined): string[] => list(rec(o?.['spec'])?.['usages']).map(str);

interface Tolerations {
  legacySigner: boolean; unknownUsages: boolean; duplicateUsages: boolean; duplicateConditions: boolean;
  emptyConditionType: boolean; approvedAndDenied: boolean; arbitraryCertificate: boolean;
}

/** Problems already stored in `old` are tolerated on update (upstream getValidationOptions). */
function tolerations(csr: Obj, old: Obj | undefined): Tolerations {
  const oldTypes = conditionsOf(old).map((c) => str(c['type']));
  const oldUsages = usagesOf(old);
  return {
    legacySigner: old !== undefined && str(rec(old['spec'])?.['signerName']) === LEGACY_UNKNOWN_SIGNER,
    unknownUsages: oldUsages.some((u) => !KEY_USAGES.includes(u)),
    duplicateUsages: new Set(oldUsages).size !== oldUsages.length,
    duplicateConditions: new Set(oldTypes).size !== oldTypes.length,
    emptyConditionType: oldTypes.includes(''),
    approvedAndDenied: hasType(old, 'Approved') && hasType(old, 'Denied'),
    arbitraryCertificate: old !== undefined
      && (certificateOf(csr).equals(certificateOf(old)) || certificateError(certificateOf(old)) !== undefined),
  };
}

function validateConditions(csr: Obj, t: Tolerations): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditionsOf(csr).forEach((c, i) => {
    const p = `status.conditions[${i}]`;
    const type = str(c['type']);
    const status = str(c['status']);
    if (!t.emptyConditionType && type === '') errs.push(required(`${p}.type`));
    const allowed = TRUE_ONLY_TYPES.has(type) ? ['True'] : ALL_STATUSES;
    if (status === '') errs.push(required(`${p}.status`));
    else if (!allowed.includes(status)) errs.push(notSupported(`${p}.status`, status, allowed));
    if (!t.approvedAndDenied) {
      if (type === 'Approved') { approved = true; if (denied) errs.push(invalid(`${p}.type`, type, 'Approved and Denied conditions are mutually exclusive')); }
      if (type === 'Denied') { denied = true; if (approved) errs.push(invalid(`${p}.type`, type, 'Approved and Denied conditions are mutually exclusive')); }
    }
    if (!t.duplicateConditions) {
      if (seen.has(type)) errs.push(duplicate(`${p}.type`, type));
      seen.add(type);
    }
  });
  return errs;
}

function validateCsr(csr: Obj, t: Tolerations): FieldError[] {
  const errs = validateObjectMeta(rec(csr['metadata']), { namespaced: false, nameFn: () => [] });
  const spec = rec(csr['spec']) ?? {};
  const request = decodeBytes(spec['request']) ?? Buffer.alloc(0);
  try {
    parseCsrPem(request);
  } catch (err) {
    if (!(err instanceof PkiError)) throw err;
    errs.push(invalid('spec.request', goBytes(request), err.message));
  }
  const usages = list(spec['usages']).map(str);
  if (usages.length === 0) errs.push(required('spec.usages'));
  if (!t.unknownUsages) {
    usages.forEach((u, i) => { if (!KEY_USAGES.includes(u)) errs.push(notSupported(`spec.usages[${i}]`, u, SORTED_USAGES)); });
  }
  if (!t.duplicateUsages) {
    usages.forEach((u, i) => { if (usages.indexOf(u) !== i) errs.push(duplicate(`spec.usages[${i}]`, u)); });
  }
  const signerName = str(spec['signerName']);
  if (!t.legacySigner && signerName === LEGACY_UNKNOWN_SIGNER) {
    errs.push(invalid('spec.signerName', signerName, 'the legacy signerName is not allowed via this API version'));
  } else {
    errs.push(...validateSignerName('spec.signerName', signerName));
  }
  const exp = num(spec['expirationSeconds']);
  if (exp !== undefined && exp < 600) errs.push(invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 600 seconds (10 minutes)'));
  errs.push(...validateConditions(csr, t));
  if (!t.arbitraryCertificate) {
    const msg = certificateError(certificateOf(csr));
    if (msg) errs.push(invalid('status.certificate', '<certificate data>', msg));
  }
  return errs;
}

export function validateCsrCreate(csr: Obj): FieldError[] {
  return validateCsr(csr, tolerations(csr, undefined));
}

const sameConditions = (a: Obj[], b: Obj[]): boolean => JSON.stringify(a) === JSON.stringify(b);
const ofType = (o: Obj, type: string): Obj[] => conditionsOf(o).filter((c) => str(c['type']) === type);

export function validateCsrUpdate(csr: Obj, old: Obj, opts: CsrUpdateOptions = {}): FieldError[] {
  const errs = validateCsr(csr, tolerations(csr, old));
  for (const type of ['Approved', 'Denied', 'Failed']) {
    if (ofType(csr, type).length < ofType(old, type).length) {
      errs.push(forbidden('status.conditions', `updates may not remove a condition of type "${type}"`));
    }
  }
  if (!opts.allowSettingApprovalConditions) {
    for (const type of ['Approved', 'Denied']) {
      const now = ofType(csr, type);
      const before = ofType(old, type);
      if (now.length > before.length) errs.push(forbidden('status.conditions', `updates may not add a condition of type "${type}"`));
      else if (now.length === before.length && !sameConditions(now, before)) {
        errs.push(forbidden('status.conditions', `updates may not modify a condition of type "${type}"`));
      }
    }
  }
  if (!certificateOf(csr).equals(certificateOf(old))) {
    if (!opts.allowSettingCertificate) errs.push(forbidden('status.certificate', 'updates may not set certificate content'));
    else if (certificateOf(old).length > 0) errs.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  errs.push(...validateObjectMetaUpdate(rec(csr['metadata']), rec(old['metadata'])));
  return errs;
}
