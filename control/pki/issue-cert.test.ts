import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer, request } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from './create-ca.js';
import { issueClientCert, issueServingCert } from './issue-cert.js';
import type { CaPair } from './issue-cert.js';
import type { CertKeyPair } from './types.js';

const OPENSSL = '/usr/bin/openssl';
let ca: CaPair;
let caCert: X509Certificate;
const servers: Server[] = [];

beforeAll(async () => {
  const pair = await createCa();
  ca = { caCertPem: pair.certPem, caKeyPem: pair.keyPem };
  caCert = new X509Certificate(pair.certPem);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

interface GetOptions { port: number; servername?: string; client?: CertKeyPair }

function get(opts: GetOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: opts.port,
        path: '/',
        ca: ca.caCertPem,
        servername: opts.servername,
        cert: opts.client?.certPem,
        key: opts.client?.keyPem,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('issueClientCert', () => {
  it('puts the user in CN, groups in O, and only clientAuth in EKU', async () => {
    const { certPem, keyPem } = await issueClientCert(ca, {
      commonName: 'system:node:worker-1',
      organizations: ['system:nodes', 'tinykube:extra'],
      days: 30,
    });
    const cert = new X509Certificate(certPem);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=system:node:worker-1', 'O=system:nodes', 'O=tinykube:extra']);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBeUndefined();
    const days = (new Date(cert.validTo).getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('rejects an empty user name', async () => {
    await expect(issueClientCert(ca, { commonName: '' })).rejects.toMatchObject({ code: 'InvalidSubject' });
  });
});

describe('issueServingCert', () => {
  it('carries serverAuth and the requested SANs', async () => {
    const { certPem } = await issueServingCert(ca, { commonName: 'worker-1', hosts: ['10.1.2.3', 'worker-1', '::1'] });
    const cert = new X509Certificate(certPem);
    expect(cert.subject).toBe('CN=worker-1');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('worker-1', { subject: 'never' })).toBe('worker-1');
    expect(cert.checkHost('worker-2', { subject: 'never' })).toBeUndefined();
  });

  it('needs at least one host', async () => {
    await expect(issueServingCert(ca, { commonName: 'x', hosts: [] })).rejects.toMatchObject({ code: 'InvalidHost' });
  });
});

describe.skipIf(!existsSync(OPENSSL))('a foreign RSA CA (as kubeadm makes)', () => {
  it('signs leaves that openssl verifies, including the AKI/SKI link', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinykube-rsa-ca-'));
    try {
      const [caCrt, caKey, leafCrt] = ['ca.crt', 'ca.key', 'leaf.crt'].map((f) => join(dir, f)) as [string, string, string];
      execFileSync(OPENSSL, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kubernetes', '-days', '2',
        '-keyout', caKey, '-out', caCrt], { stdio: 'ignore' });
      const rsaCa = { caCertPem: await readFile(caCrt, 'utf8'), caKeyPem: await readFile(caKey, 'utf8') };
      const leaf = await issueClientCert(rsaCa, { commonName: 'admin', organizations: ['system:masters'] });
      await writeFile(leafCrt, leaf.certPem);
      const out = execFileSync(OPENSSL, ['verify', '-purpose', 'sslclient', '-CAfile', caCrt, leafCrt], { encoding: 'utf8' });
      expect(out.trim()).toBe(`${leafCrt}: OK`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('TLS round-trip', () => {
  it('a client trusting only the CA accepts the serving cert by IP and by name', async () => {
    const serving = await issueServingCert(ca, { commonName: 'kube-apiserver', hosts: ['127.0.0.1', 'localhost'] });
    const port = await listen(createServer({ cert: serving.certPem, key: serving.keyPem }, (_q, res) => res.end('ok')));
    await expect(get({ port })).resolves.toEqual({ status: 200, body: 'ok' });
    await expect(get({ port, servername: 'localhost' })).resolves.toEqual({ status: 200, body: 'ok' });
    await expect(get({ port, servername: 'elsewhere.example' })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('a server requiring client certs accepts one from issueClientCert and reads its CN', async () => {
    const serving = await issueServingCert(ca, { commonName: 'kube-apiserver', hosts: ['127.0.0.1'] });
    const server = createServer(
      { cert: serving.certPem, key: serving.keyPem, ca: ca.caCertPem, requestCert: true, rejectUnauthorized: true },
      (req, res) => res.end((req.socket as TLSSocket).getPeerCertificate().subject.CN),
    );
    const port = await listen(server);
    const client = await issueClientCert(ca, { commonName: 'system:node:worker-1', organizations: ['system:nodes'] });
    await expect(get({ port, client })).resolves.toEqual({ status: 200, body: 'system:node:worker-1' });

    const stranger = await createCa();
    const foreign = await issueClientCert(
      { caCertPem: stranger.certPem, caKeyPem: stranger.keyPem },
      { commonName: 'mallory' },
    );
    await expect(get({ port, client: foreign })).rejects.toBeInstanceOf(Error);
    await expect(get({ port })).rejects.toBeInstanceOf(Error);
  });
});
