import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCa } from './create-ca.js';
import { ensurePki } from './ensure-pki.js';
import { PkiError } from './types.js';
import { x509 } from './x509.js';

const DAY = 24 * 60 * 60 * 1000;
let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'tinykube-pki-')), 'pki');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const mode = async (f: string): Promise<number> => (await stat(join(dir, f))).mode & 0o777;

describe('ensurePki', () => {
  it('creates a CA and a serving cert with the default and given SANs', async () => {
    const pki = await ensurePki({ dir, hosts: ['192.168.1.10', 'Control.Example.com'], serviceIP: '10.43.0.1' });
    const ca = new X509Certificate(pki.caCertPem);
    expect(ca.subject).toBe('CN=tinykube-ca');
    expect(ca.ca).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(new Date(ca.validTo).getTime() - Date.now()).toBeGreaterThan(3649 * DAY);
    const parsed = new x509.X509Certificate(pki.caCertPem);
    const bc = parsed.getExtension(x509.BasicConstraintsExtension);
    expect(bc?.ca).toBe(true);
    expect(bc?.critical).toBe(true);
    const ku = parsed.getExtension(x509.KeyUsagesExtension);
    expect(ku?.usages).toBe(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
    );
    expect(parsed.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });

    const srv = new X509Certificate(pki.serverCertPem);
    expect(srv.subject).toBe('CN=kube-apiserver');
    expect(srv.verify(ca.publicKey)).toBe(true);
    expect(srv.checkIssued(ca)).toBe(true);
    expect(srv.ca).toBe(false);
    expect(srv.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const days = (new Date(srv.validTo).getTime() - Date.now()) / DAY;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThan(366);
    for (const ip of ['127.0.0.1', '10.43.0.1', '192.168.1.10']) expect(srv.checkIP(ip)).toBe(ip);
    for (const host of [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      'control.example.com',
    ]) {
      expect(srv.checkHost(host, { subject: 'never' })).toBe(host);
    }
    expect(srv.checkIP('10.96.0.1')).toBeUndefined(); // serviceIP replaced the default

    expect(await mode('ca.key')).toBe(0o600);
    expect(await mode('apiserver.key')).toBe(0o600);
    expect(await readFile(join(dir, 'ca.crt'), 'utf8')).toBe(pki.caCertPem);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('is idempotent: same CA and same serving cert on the second call', async () => {
    const first = await ensurePki({ dir, hosts: ['10.0.0.5'] });
    const second = await ensurePki({ dir, hosts: ['10.0.0.5', 'localhost'] });
    expect(second).toEqual(first);
  });

  it('reissues only the serving cert when hosts grow, keeping the CA', async () => {
    const first = await ensurePki({ dir, hosts: ['10.0.0.5'] });
    const second = await ensurePki({ dir, hosts: ['10.0.0.5', 'api.example.com'] });
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.caKeyPem).toBe(first.caKeyPem);
    expect(second.serverCertPem).not.toBe(first.serverCertPem);
    const srv = new X509Certificate(second.serverCertPem);
    expect(srv.checkHost('api.example.com', { subject: 'never' })).toBe('api.example.com');
    expect(srv.checkIP('10.0.0.5')).toBe('10.0.0.5');
  });

  it('reissues a serving cert that is close to expiry or from another CA', async () => {
    const first = await ensurePki({ dir, hosts: [] });
    const later = await ensurePki({ dir, hosts: [], now: new Date(Date.now() + 340 * DAY) });
    expect(later.serverCertPem).not.toBe(first.serverCertPem);

    const other = await createCa();
    await writeFile(join(dir, 'apiserver.crt'), other.certPem); // garbage for a serving cert
    const fixed = await ensurePki({ dir, hosts: [] });
    expect(new X509Certificate(fixed.serverCertPem).verify(new X509Certificate(fixed.caCertPem).publicKey)).toBe(true);
  });

  it('tightens loosened key permissions on load', async () => {
    await ensurePki({ dir, hosts: [] });
    await chmod(join(dir, 'ca.key'), 0o644);
    await ensurePki({ dir, hosts: [] });
    expect(await mode('ca.key')).toBe(0o600);
  });

  it('refuses to replace half a CA', async () => {
    await ensurePki({ dir, hosts: [] });
    await rm(join(dir, 'ca.key'));
    await expect(ensurePki({ dir, hosts: [] })).rejects.toMatchObject({ name: 'PkiError', code: 'InvalidCa' });
  });

  it('refuses a CA key that does not match the certificate', async () => {
    await ensurePki({ dir, hosts: [] });
    await writeFile(join(dir, 'ca.key'), (await createCa()).keyPem, { mode: 0o600 });
    const err: unknown = await ensurePki({ dir, hosts: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PkiError);
    expect((err as PkiError).code).toBe('InvalidCa');
  });

  it('rejects invalid hosts', async () => {
    await expect(ensurePki({ dir, hosts: ['not a host'] })).rejects.toMatchObject({ code: 'InvalidHost' });
  });
});
