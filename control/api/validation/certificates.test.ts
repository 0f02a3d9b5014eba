import { beforeAll, describe, expect, it } from 'vitest';
import { createCa } from '../../pki/create-ca.js';
import { createCsr } from '../../pki/create-csr.js';
import { validateCsrCreate, validateCsrUpdate } from './certificates.js';
import type { Obj } from './obj.js';
import { validate } from './validate.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const lines = (errs: { field: string; message: string }[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);

let request = '';
let certificate = '';
beforeAll(async () => {
  request = b64((await createCsr({ commonName: 'jane' })).csrPem);
  certificate = b64((await createCa({ commonName: 'x' })).certPem);
});

const csr = (spec: Obj = {}, status?: Obj): Obj => ({
  metadata: { name: 'jane' },
  spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...spec },
  ...(status ? { status } : {}),
});
const approved = { type: 'Approved', status: 'True', reason: 'KubectlApprove' };

describe('CertificateSigningRequest create validation', () => {
  it('accepts a well-formed request and is wired into validate()', () => {
    expect(validateCsrCreate(csr())).toEqual([]);
    expect(validate('CertificateSigningRequest', csr())).toEqual([]);
  });

  it.each<[string, Obj, string[]]>([
    ['garbage request', { request: b64('gar') }, ['spec.request: Invalid value: []byte{0x67, 0x61, 0x72}: PEM block type must be CERTIFICATE REQUEST']],
    ['missing signerName', { signerName: undefined }, ['spec.signerName: Required value']],
    ['legacy signer', { signerName: 'kubernetes.io/legacy-unknown' }, ['spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version']],
    ['unqualified signer', { signerName: 'signer' }, ['spec.signerName: Invalid value: "signer": must be a fully qualified domain and path of the form \'example.com/signer-name\'']],
    ['single-label domain', { signerName: 'example/x' }, ['spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots']],
    ['no usages', { usages: [] }, ['spec.usages: Required value']],
    ['duplicate usage', { usages: ['client auth', 'client auth'] }, ['spec.usages[1]: Duplicate value: "client auth"']],
    ['short expiration', { expirationSeconds: 599 }, ['spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)']],
  ])('refuses %s', (_n, spec, want) => {
    expect(lines(validateCsrCreate(csr(spec)))).toEqual(want);
  });

  it('lists the supported usages for an unknown one', () => {
    const [err] = validateCsrCreate(csr({ usages: ['bogus'] }));
    expect(err?.field).toBe('spec.usages[0]');
    expect(err?.message).toMatch(/^Unsupported value: "bogus": supported values: "any", "cert sign", "client auth", /);
  });

  it('checks conditions', () => {
    expect(lines(validateCsrCreate(csr({}, { conditions: [approved, { type: 'Denied', status: 'True' }, { type: 'Failed', status: 'False' }, { type: 'Failed', status: 'True' }] }))))
      .toEqual([
        'status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
        'status.conditions[2].status: Unsupported value: "False": supported values: "True"',
        'status.conditions[3].type: Duplicate value: "Failed"',
      ]);
  });
});

describe('CertificateSigningRequest update validation', () => {
  it('refuses approval conditions and certificates outside their subresources', () => {
    const old = csr();
    expect(lines(validateCsrUpdate(csr({}, { conditions: [approved] }), old)))
      .toEqual(['status.conditions: Forbidden: updates may not add a condition of type "Approved"']);
    expect(validateCsrUpdate(csr({}, { conditions: [approved] }), old, { allowSettingApprovalConditions: true })).toEqual([]);
    expect(lines(validateCsrUpdate(csr({}, { certificate }), old)))
      .toEqual(['status.certificate: Forbidden: updates may not set certificate content']);
    expect(validateCsrUpdate(csr({}, { certificate }), old, { allowSettingCertificate: true })).toEqual([]);
  });

  it('never removes Approved/Denied/Failed and sets a certificate once', () => {
    const old = csr({}, { conditions: [approved], certificate });
    expect(lines(validateCsrUpdate(csr({}, { certificate }), old, { allowSettingApprovalConditions: true })))
      .toEqual(['status.conditions: Forbidden: updates may not remove a condition of type "Approved"']);
    expect(lines(validateCsrUpdate(csr({}, { conditions: [approved], certificate: b64('x') }), old, { allowSettingCertificate: true })))
      .toEqual([
        'status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block',
        'status.certificate: Forbidden: updates may not modify existing certificate content',
      ]);
  });
});
