import { X509Certificate, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa } from './create-ca.js';
import { createCsr } from './create-csr.js';
import { parseCsrPem } from './csr.js';
import { signCsr, usageExtensions } from './sign-csr.js';
import { PkiError } from './types.js';

/** A request made by `openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -subj /CN=jane/O=dev`. */
const OPENSSL_CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIHXMH8CAQAwHTENMAsGA1UEAwwEamFuZTEMMAoGA1UECgwDZGV2MFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAEVIACr+oCVTAlmz/inJ0poDZcbZDlVjKWs7hOhHcW
GSsPDmdyZ5t0uvie1iUVC42WWGcD1a+eJK2QqpYMS2cv26AAMAoGCCqGSM49BAMC
A0gAMEUCIDRmqbgczV1RRrfHcoQJBG1aK+407XnPG3osAayItfFwAiEAmwTFAAss
Zfu26h5ySs13XFXpREqQKsIeO+IlGucC2/U=
-----END CERTIFICATE REQUEST-----
`;

const codeOf = (fn: () => unknown): string => {
  try { fn(); } catch (err) { return err instanceof PkiError ? `${err.code}: ${err.message}` : String(err); }
  return 'ok';
};

describe('parseCsrPem', () => {
  it('reads subject, SANs and key of a request we make', async () => {
    const { csrPem } = await createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'], sans: [{ type: 'dns', value: 'w1' }, { type: 'ip', value: '10.0.0.5' }] });
    const csr = parseCsrPem(csrPem);
    expect(csr.commonName).toBe('system:node:w1');
    expect(csr.organizations).toEqual(['system:nodes']);
    expect(csr.dnsNames).toEqual(['w1']);
    expect(csr.ipAddresses).toEqual(['10.0.0.5']);
  });

  it('reads an OpenSSL request', () => {
    const csr = parseCsrPem(OPENSSL_CSR);
    expect([csr.commonName, csr.organizations]).toEqual(['jane', ['dev']]);
  });

  it.each([
    ['not PEM', 'garbage', 'InvalidCsr: PEM block type must be CERTIFICATE REQUEST'],
    ['another block type', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'InvalidCsr: PEM block type must be CERTIFICATE REQUEST'],
    ['bad DER', '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n', 'InvalidCsr: x509: malformed certificate request'],
  ])('refuses %s', (_n, pem, want) => {
    expect(codeOf(() => parseCsrPem(pem))).toBe(want);
  });

  it('refuses a request whose signature does not match', () => {
    const der = Buffer.from(OPENSSL_CSR.split('\n').slice(1, -2).join(''), 'base64');
    der[der.length - 3] = (der[der.length - 3] ?? 0) ^ 0x01;
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(codeOf(() => parseCsrPem(pem))).toBe('InvalidCsr: x509: ECDSA verification failure');
  });
});

describe('signCsr', () => {
  it('issues a client certificate for the request’s subject and key, signed by the CA', async () => {
    const ca = await createCa({ commonName: 'kubernetes' });
    const { csrPem } = await createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] });
    const csr = parseCsrPem(csrPem);
    const now = new Date();
    const pem = await signCsr({ caCertPem: ca.certPem, caKeyPem: ca.keyPem }, csr, { usages: ['digital signature', 'client auth'], durationMs: 3600_000, now });
    const cert = new X509Certificate(pem);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.subject).toBe('O=system:nodes\nCN=system:node:w1');
    expect(cert.publicKey.export({ format: 'der', type: 'spki' })).toEqual(createPublicKey({ key: Buffer.from(csr.publicKeyDer), format: 'der', type: 'spki' }).export({ format: 'der', type: 'spki' }));
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(new Date(cert.validTo).getTime()).toBeLessThanOrEqual(now.getTime() + 3600_000);
    expect(new Date(cert.validFrom).getTime()).toBeLessThan(now.getTime());
    expect(cert.ca).toBe(false);
  });

  it('maps usages and refuses unknown ones', () => {
    expect(usageExtensions(['digital signature', 'key encipherment', 'client auth', 'server auth']).extKeyUsages).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(codeOf(() => usageExtensions(['bogus']))).toBe('InvalidCsr: unrecognized usage: bogus');
  });
});
