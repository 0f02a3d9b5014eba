/**
 * etcd over TLS with client certificates for the tests: the shared test etcd (scripts/lib.sh
 * ensure_etcd, its certificates under $TK_TEST_ETCD_PKI or /var/lib/tinykube/test-etcd-pki) and
 * private etcds' own small PKI (a CA, a serving certificate for 127.0.0.1, a client certificate).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { Etcd3 } from 'etcd3';
import { join } from 'node:path';
import { createCa } from '../../control/pki/create-ca.js';
import { issueClientCert, issueServingCert } from '../../control/pki/issue-cert.js';
import type { EtcdTls } from '../../control/store/etcd/etcd-store.js';
import type { EtcdTlsFiles } from '../../control/store/registry.js';

/** The files of an etcd PKI: what the server's --etcd-* flags name. */
export interface EtcdPki { caFile: string; certFile: string; keyFile: string; serverCertFile: string; serverKeyFile: string }

const pkiIn = (dir: string): EtcdPki => ({
  caFile: join(dir, 'ca.crt'), certFile: join(dir, 'client.crt'), keyFile: join(dir, 'client.key'),
  serverCertFile: join(dir, 'server.crt'), serverKeyFile: join(dir, 'server.key'),
});

/** The shared test etcd: its address and certificates (from scripts/lib.sh). */
export const TEST_ETCD = {
  endpoint: process.env['TK_TEST_ETCD_ADDR'] ?? '127.0.0.1:2379',
  pki: pkiIn(process.env['TK_TEST_ETCD_PKI'] ?? '/var/lib/tinykube/test-etcd-pki'),
};

/** A CA, etcd's serving certificate (127.0.0.1, localhost) and a client certificate in `dir` (keys 0600). */
export async function createEtcdPki(dir: string): Promise<EtcdPki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await createCa({ commonName: 'tinykube-test-etcd-ca' });
  const pair = { caCertPem: ca.certPem, caKeyPem: ca.keyPem };
  const server = await issueServingCert(pair, { commonName: 'tinykube-test-etcd-server', hosts: ['127.0.0.1', 'localhost'] });
  const client = await issueClientCert(pair, { commonName: 'tinykube-test-etcd-client' });
  const p = pkiIn(dir);
  writeFileSync(p.caFile, ca.certPem);
  writeFileSync(p.serverCertFile, server.certPem);
  writeFileSync(p.serverKeyFile, server.keyPem, { mode: 0o600 });
  writeFileSync(p.certFile, client.certPem);
  writeFileSync(p.keyFile, client.keyPem, { mode: 0o600 });
  return p;
}

export const hasPki = (p: EtcdPki): boolean => existsSync(p.caFile) && existsSync(p.certFile) && existsSync(p.keyFile);

/** The store's TLS options (PEMs) for `p`. */
export function etcdTls(p: EtcdPki): EtcdTls {
  return { caCertPem: readFileSync(p.caFile, 'utf8'), certPem: readFileSync(p.certFile, 'utf8'), keyPem: readFileSync(p.keyFile, 'utf8') };
}

export const etcdTlsFiles = (p: EtcdPki): EtcdTlsFiles => ({ caFile: p.caFile, certFile: p.certFile, keyFile: p.keyFile });

/** `tinykube server` flags that reach an etcd with `p`. */
export const etcdServerFlags = (p: EtcdPki): string[] => ['--etcd-cafile', p.caFile, '--etcd-certfile', p.certFile, '--etcd-keyfile', p.keyFile];

/** True when https://endpoint/health answers healthy to the client certificate of `p`. */
export function etcdHealthy(endpoint: string, p: EtcdPki): Promise<boolean> {
  const tls = etcdTls(p);
  const [host, port] = endpoint.split(':');
  return new Promise((resolve) => {
    const req = request({ host, port: Number(port), servername: '', path: '/health', ca: tls.caCertPem, cert: tls.certPem, key: tls.keyPem, timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve(body.includes('"health":"true"')));
    });
    req.on('error', () => resolve(false)); // not listening yet, or refused: not healthy
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** A raw etcd3 client (https) with `p`'s CA and client certificate. */
export function etcdClient(endpoint: string, p: EtcdPki): Etcd3 {
  const t = etcdTls(p);
  return new Etcd3({ hosts: `https://${endpoint}`, credentials: { rootCertificate: Buffer.from(t.caCertPem ?? ''), certChain: Buffer.from(t.certPem ?? ''), privateKey: Buffer.from(t.keyPem ?? '') } });
}
