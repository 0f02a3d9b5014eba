import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCsr } from './create-csr.js';
import { parseCsrPem } from './csr.js';
import { generalName, oid } from './der.js';
import { PkiError } from './types.js';

describe('createCsr (DER by hand)', () => {
  it('is a request OpenSSL verifies, with the subject in order and the SANs asked for', async () => {
    const { csrPem, keyPem } = await createCsr({
      commonName: 'system:node:w1',
      organizations: ['system:nodes', 'äöü group'],
      sans: [{ type: 'dns', value: 'w1.example' }, { type: 'ip', value: '10.0.0.5' }, { type: 'ip', value: 'fd00::1:2' }, { type: 'ip', value: '::ffff:10.1.2.3' }],
    });
    const text = execFileSync('openssl', ['req', '-verify', '-noout', '-text', '-nameopt', 'RFC2253,-esc_msb'], { input: csrPem, stdio: ['pipe', 'pipe', 'ignore'] }).toString();
    expect(text).toContain('CN=system:node:w1,O=äöü group,O=system:nodes');
    expect(text).toMatch(/DNS:w1\.example, IP Address:10\.0\.0\.5, IP Address:FD00:0:0:0:0:0:1:2, IP Address:0:0:0:0:0:FFFF:A01:203/);
    expect(text).toContain('ecdsa-with-SHA256');
    const parsed = parseCsrPem(csrPem);
    expect([parsed.commonName, parsed.organizations, parsed.dnsNames]).toEqual(['system:node:w1', ['system:nodes', 'äöü group'], ['w1.example']]);
    // the key is the request's key
    const spki = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    expect(Buffer.from(parsed.publicKeyDer).equals(spki)).toBe(true);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('carries an empty attribute set when there are no SANs', async () => {
    const { csrPem } = await createCsr({ commonName: 'jane' });
    const text = execFileSync('openssl', ['req', '-verify', '-noout', '-text'], { input: csrPem, stdio: ['pipe', 'pipe', 'ignore'] }).toString();
    expect(text).toContain('Subject: CN = jane');
    expect(text).toMatch(/Attributes:\s*\n\s*\(none\)/);
    expect(parseCsrPem(csrPem).dnsNames).toEqual([]);
  });

  it('refuses an empty name or a SAN that is no DNS name or IP', async () => {
    await expect(createCsr({ commonName: '' })).rejects.toBeInstanceOf(PkiError);
    await expect(createCsr({ commonName: 'x', sans: [{ type: 'ip', value: '10.0.0.256' }] })).rejects.toThrow(/bad IP address/);
    await expect(createCsr({ commonName: 'x', sans: [{ type: 'dns', value: 'a b' }] })).rejects.toThrow(/bad DNS name/);
  });
});

describe('der', () => {
  it('encodes OIDs with multi-byte arcs and long lengths', () => {
    expect(oid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
    expect(oid('2.5.29.17').toString('hex')).toBe('0603551d11');
    expect(generalName({ type: 'dns', value: 'x'.repeat(200) }).subarray(0, 3).toString('hex')).toBe('8281c8');
    expect(generalName({ type: 'ip', value: '::' }).toString('hex')).toBe('8710' + '00'.repeat(16));
  });
});
