import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caCertHash } from './ca-cert-hash.js';
import { createCa } from './create-ca.js';

const OPENSSL = '/usr/bin/openssl';

describe('caCertHash', () => {
  it.skipIf(!existsSync(OPENSSL))('matches openssl: sha256 of the DER SubjectPublicKeyInfo', async () => {
    const { certPem } = await createCa();
    const pubPem = execFileSync(OPENSSL, ['x509', '-pubkey', '-noout'], { input: certPem });
    const der = execFileSync(OPENSSL, ['pkey', '-pubin', '-outform', 'der'], { input: pubPem });
    expect(caCertHash(certPem)).toBe(`sha256:${createHash('sha256').update(der).digest('hex')}`);
  });

  it('has the kubeadm pin format', async () => {
    const { certPem } = await createCa();
    expect(caCertHash(certPem)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('throws a PkiError on garbage', () => {
    expect(() => caCertHash('not a cert')).toThrow(expect.objectContaining({ code: 'InvalidCa' }));
  });
});
