import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensurePki } from './ensure-pki.js';
import { issueClientCert } from './issue-cert.js';
import { ADMIN_USER, renderKubeconfig, userContextName } from './kubeconfig.js';
import { generateToken } from './tokens.js';

const KUBECTL = '/usr/bin/kubectl';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('renderKubeconfig', () => {
  it('renders a token kubeconfig with embedded CA data and one context', () => {
    const cfg: unknown = parse(renderKubeconfig({ server: 'https://10.0.0.1:6443', caCertPem: CA, user: 'u', token: 'tok', namespace: 'dev' }));
    expect(cfg).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'tinykube', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': b64(CA) } }],
      users: [{ name: 'u', user: { token: 'tok' } }],
      contexts: [{ name: 'tinykube', context: { cluster: 'tinykube', user: 'u', namespace: 'dev' } }],
      'current-context': 'tinykube',
      preferences: {},
    });
  });

  it('names the context as kubeadm does when asked: kubernetes-admin@tinykube', () => {
    const cfg = parse(renderKubeconfig({ server: 'https://h:6443', caCertPem: CA, user: ADMIN_USER, contextName: userContextName(ADMIN_USER), token: 't' })) as {
      users: { name: string }[]; contexts: unknown[]; 'current-context': string;
    };
    expect(cfg.users[0]?.name).toBe('kubernetes-admin');
    expect(cfg.contexts).toEqual([{ name: 'kubernetes-admin@tinykube', context: { cluster: 'tinykube', user: 'kubernetes-admin' } }]);
    expect(cfg['current-context']).toBe('kubernetes-admin@tinykube');
    expect(userContextName('jane', 'lab')).toBe('jane@lab');
  });

  it('embeds client certificate data and honours clusterName', () => {
    const text = renderKubeconfig({
      server: 'https://h:6443',
      caCertPem: CA,
      user: 'system:node:w1',
      clientCertPem: 'CERT',
      clientKeyPem: 'KEY',
      clusterName: 'lab',
    });
    const cfg = parse(text) as { users: unknown; 'current-context': string };
    expect(cfg.users).toEqual([{ name: 'system:node:w1', user: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') } }]);
    expect(cfg['current-context']).toBe('lab');
    expect(text.split('\n').every((l) => l.length < 10_000)).toBe(true);
  });

  it.each([
    [{ clientCertPem: 'C' }, /together/],
    [{ token: 't', server: 'http://h:8080' }, /https/],
  ])('rejects %j', (extra, msg) => {
    expect(() => renderKubeconfig({ server: 'https://h', caCertPem: CA, user: 'u', ...extra })).toThrow(msg);
  });
});

describe.skipIf(!existsSync(KUBECTL))('real kubectl', () => {
  it('trusts our CA data and sends our bearer token', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'tinykube-kubeconfig-'));
    try {
      const pki = await ensurePki({ dir: join(tmp, 'pki'), hosts: [] });
      const token = generateToken();
      const seen: string[] = [];
      const tls = { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: false };
      const server = createServer(tls, (req, res) => {
        const socket = req.socket as TLSSocket;
        const user = socket.authorized ? socket.getPeerCertificate().subject.CN : undefined;
        seen.push(`${req.method ?? ''} ${req.url ?? ''} ${user ?? 'token'}`);
        res.setHeader('content-type', 'application/json');
        if (req.headers.authorization !== `Bearer ${token}` && user === undefined) {
          res.statusCode = 401;
          res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 }));
          return;
        }
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const { port } = server.address() as AddressInfo;
        const file = join(tmp, 'kubeconfig');
        await writeFile(file, renderKubeconfig({ server: `https://127.0.0.1:${port}`, caCertPem: pki.caCertPem, user: ADMIN_USER, token }), { mode: 0o600 });
        const { stdout } = await promisify(execFile)(
          KUBECTL,
          ['--kubeconfig', file, '--cache-dir', join(tmp, 'cache'), 'version', '-o', 'json'],
          { timeout: 10_000 },
        );
        const out = JSON.parse(stdout) as { serverVersion?: { gitVersion?: string } };
        expect(out.serverVersion?.gitVersion).toBe('v1.32.0');
        // kubectl 1.32 asks twice (?timeout=5s, then ?timeout=32s); every request carried the token.
        expect(seen.length).toBeGreaterThan(0);
        for (const line of seen) expect(line).toMatch(/^GET \/version\?timeout=\d+s token$/);
        const before = seen.length;

        // Client certificates work the same way through the kubeconfig.
        const client = await issueClientCert(pki, { commonName: ADMIN_USER, organizations: ['system:masters'] });
        const certFile = join(tmp, 'kubeconfig-cert');
        const text = renderKubeconfig({
          server: `https://localhost:${port}`,
          caCertPem: pki.caCertPem,
          user: ADMIN_USER,
          clientCertPem: client.certPem,
          clientKeyPem: client.keyPem,
        });
        await writeFile(certFile, text, { mode: 0o600 });
        const again = await promisify(execFile)(KUBECTL, ['--kubeconfig', certFile, '--cache-dir', join(tmp, 'cache'), 'version', '-o', 'json'], { timeout: 10_000 });
        expect((JSON.parse(again.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion).toBe('v1.32.0');
        const after = seen.slice(before);
        expect(after.length).toBeGreaterThan(0);
        for (const line of after) expect(line).toMatch(/ kubernetes-admin$/);
      } finally {
        server.close();
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
