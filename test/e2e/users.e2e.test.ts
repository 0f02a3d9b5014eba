/**
 * People's credentials with the real kubectl: the admin is kubeadm's kubernetes-admin in
 * system:masters; `tinykube kubeconfig user` prints a kubeconfig that kubectl uses as that user
 * and groups; a CSR for the kube-apiserver-client signer, approved with `kubectl certificate
 * approve`, yields a certificate (validity from expirationSeconds) that authenticates as its CN/O.
 * Who a request is from is what `kubectl auth whoami` (SelfSubjectReview) answers.
 * With RBAC, that user is forbidden until a RoleBinding names its group, and cannot bind itself
 * to cluster-admin.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, TestControlPlane } from '../helpers/control-plane.js';
import type { Run } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';

function run(cmd: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('users: the admin, kubeconfig user, and client certificates from CSRs', () => {
  const cp = new TestControlPlane();
  /** carol's kubeconfig (CN=carol, O=qa), once her CSR is issued. */
  let carol = '';
  beforeAll(async () => { await cp.start(); });
  afterAll(async () => { await cp.destroy(); });

  /** kubectl with another kubeconfig (its own discovery cache). */
  const kubectlAs = (kubeconfig: string, ...args: string[]): Promise<Run> =>
    run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(cp.dataDir, 'cache-users'), ...args]);

  /** A new EC key and CSR (PEM) for `subject` in the data dir. */
  const opensslRequest = async (file: string, subject: string): Promise<string> => {
    const r = await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', subject, '-keyout', join(cp.dataDir, `${file}.key`), '-out', join(cp.dataDir, `${file}.csr`)]);
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(join(cp.dataDir, `${file}.csr`), 'utf8');
  };
  const csrYaml = (name: string, request: string, extra = '') => [
    'apiVersion: certificates.k8s.io/v1', 'kind: CertificateSigningRequest', `metadata: {name: ${name}}`, 'spec:',
    `  request: ${Buffer.from(request).toString('base64')}`, '  signerName: kubernetes.io/kube-apiserver-client', '  usages: [client auth]', extra, '',
  ].join('\n');

  /** Who the server says this kubeconfig's user is: `kubectl auth whoami` (SelfSubjectReview). */
  const whoIs = async (kubeconfig: string): Promise<{ username: string; groups: string[] }> => {
    const r = await kubectlAs(kubeconfig, 'auth', 'whoami', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const info = (JSON.parse(r.stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
    return { username: info.username, groups: info.groups };
  };

  it('the admin kubeconfig is kubeadm’s: user kubernetes-admin, context kubernetes-admin@tinykube, in system:masters', async () => {
    expect((await cp.k('config', 'current-context')).trim()).toBe('kubernetes-admin@tinykube');
    expect(await cp.k('config', 'view', '-o', 'jsonpath={.users[*].name}')).toBe('kubernetes-admin');
    expect(await whoIs(cp.kubeconfig)).toEqual({ username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('tinykube kubeconfig user: a kubeconfig kubectl uses as that user and its groups', async () => {
    const r = await run(process.execPath, [CLI, 'kubeconfig', 'user', '--name', 'alice', '--group', 'devs', '--group', 'qa', '--ttl', '2h', '--data-dir', cp.dataDir]);
    expect(r.code, r.stderr).toBe(0);
    const file = cp.manifest('alice.kubeconfig', r.stdout);
    const cfg = parse(r.stdout) as { clusters: { cluster: { server: string } }[]; users: { name: string; user: Record<string, string> }[] };
    expect(cfg.clusters[0]?.cluster.server).toBe(cp.url);
    expect((await kubectlAs(file, 'config', 'current-context')).stdout.trim()).toBe('alice@tinykube');
    const cert = new X509Certificate(Buffer.from(cfg.users[0]?.user['client-certificate-data'] ?? '', 'base64'));
    expect(cert.subject).toBe('O=devs\nO=qa\nCN=alice');
    expect(Date.parse(cert.validTo) - Date.now()).toBeGreaterThan(119 * 60_000);
    expect(Date.parse(cert.validTo) - Date.now()).toBeLessThanOrEqual(120 * 60_000);
    const api = await kubectlAs(file, 'get', '--raw', '/api');
    expect(api.code, api.stderr).toBe(0);
    expect(await whoIs(file)).toEqual({ username: 'alice', groups: ['devs', 'qa', 'system:authenticated'] });
  });

  it('kubeconfig user refuses a missing name (usage, exit 2) and a data dir without a CA (exit 1)', async () => {
    const usage = await run(process.execPath, [CLI, 'kubeconfig', 'user', '--data-dir', cp.dataDir]);
    expect(usage.code, usage.stderr).toBe(2);
    expect(usage.stderr).toContain('required flag --name not set');
    const noCa = await run(process.execPath, [CLI, 'kubeconfig', 'user', '--name', 'x', '--data-dir', join(cp.dataDir, 'missing')]);
    expect(noCa.code, noCa.stderr).toBe(1);
    expect(noCa.stderr).toContain(`read the cluster CA in ${join(cp.dataDir, 'missing', 'pki')}`);
  });

  it('a CSR approved with kubectl certificate approve yields a certificate that authenticates as its CN and O', async () => {
    const request = await opensslRequest('carol', '/O=qa/CN=carol');
    expect(await cp.k('create', '-f', cp.manifest('carol-csr.yaml', csrYaml('carol', request, '  expirationSeconds: 3600')))).toContain('carol created');
    expect(await cp.k('certificate', 'approve', 'carol')).toContain('certificatesigningrequest.certificates.k8s.io/carol approved');
    let certPem = '';
    await eventually(async () => {
      certPem = Buffer.from(await cp.k('get', 'csr', 'carol', '-o', 'jsonpath={.status.certificate}'), 'base64').toString();
      expect(certPem).toContain('BEGIN CERTIFICATE');
    }, { timeoutMs: 15_000, intervalMs: 100 });
    const cert = new X509Certificate(certPem);
    expect(cert.subject).toBe('O=qa\nCN=carol');
    expect(cert.verify(new X509Certificate(cp.caCert).publicKey)).toBe(true);
    // expirationSeconds is honoured: an hour (the signer backdates notBefore by 5 minutes)
    expect(Math.abs(Date.parse(cert.validTo) - Date.now() - 3600_000)).toBeLessThan(60_000);

    const crt = join(cp.dataDir, 'carol.crt');
    writeFileSync(crt, certPem);
    const file = carol = cp.manifest('carol.kubeconfig', [
      'apiVersion: v1', 'kind: Config', 'current-context: carol',
      `clusters: [{name: c, cluster: {server: "${cp.url}", certificate-authority: "${join(cp.pkiDir, 'ca.crt')}"}}]`,
      `users: [{name: carol, user: {client-certificate: "${crt}", client-key: "${join(cp.dataDir, 'carol.key')}"}}]`,
      'contexts: [{name: carol, context: {cluster: c, user: carol}}]', '',
    ].join('\n'));
    expect(await whoIs(file)).toEqual({ username: 'carol', groups: ['qa', 'system:authenticated'] });
  });

  it('RBAC: the certificate’s user is forbidden, allowed by a binding to its group, and cannot bind itself to cluster-admin', async () => {
    expect(carol, 'the CSR test issues carol’s certificate first').not.toBe('');
    const pods = await kubectlAs(carol, 'get', 'pods', '-n', 'default');
    expect(pods.code).toBe(1);
    expect(pods.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "carol" cannot list resource "pods" in API group "" in the namespace "default"');
    expect((await kubectlAs(carol, 'auth', 'can-i', 'list', 'pods', '-n', 'default')).stdout.trim()).toBe('no');

    await cp.k('create', 'rolebinding', 'qa-view', '--clusterrole=view', '--group=qa', '-n', 'default');
    await eventually(async () => { expect((await kubectlAs(carol, 'get', 'pods', '-n', 'default')).code).toBe(0); }, { timeoutMs: 10_000, intervalMs: 100 });
    expect((await kubectlAs(carol, 'auth', 'can-i', 'list', 'pods', '-n', 'default')).stdout.trim()).toBe('yes');
    expect((await kubectlAs(carol, 'auth', 'can-i', 'list', 'secrets', '-n', 'default')).stdout.trim()).toBe('no');
    const secrets = await kubectlAs(carol, 'get', 'secrets', '-n', 'default');
    expect(secrets.stderr).toContain('User "carol" cannot list resource "secrets" in API group "" in the namespace "default"');

    // admin of a namespace may bind roles there, but only to rights it holds itself
    await cp.k('create', 'namespace', 'team');
    await cp.k('create', 'rolebinding', 'qa-admin', '--clusterrole=admin', '--group=qa', '-n', 'team');
    await eventually(async () => { expect((await kubectlAs(carol, 'create', 'rolebinding', 'qa-view', '--clusterrole=view', '--group=qa', '-n', 'team')).code).toBe(0); }, { timeoutMs: 10_000, intervalMs: 100 });
    const escalate = await kubectlAs(carol, 'create', 'rolebinding', 'carol-root', '--clusterrole=cluster-admin', '--user=carol', '-n', 'team');
    expect(escalate.code).toBe(1);
    expect(escalate.stderr).toContain('rolebindings.rbac.authorization.k8s.io "carol-root" is forbidden: user "carol" (groups=["qa" "system:authenticated"]) is attempting to grant RBAC permissions not currently held');
    const cluster = await kubectlAs(carol, 'create', 'clusterrolebinding', 'carol-root', '--clusterrole=cluster-admin', '--user=carol');
    expect(cluster.code).toBe(1);
    expect(cluster.stderr).toContain('User "carol" cannot create resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope');
    expect((await cp.kubectl(['get', 'rolebinding', 'carol-root', '-n', 'team'])).code).toBe(1);
  });

  it('the kube-apiserver-client signer refuses a request without client auth (Failed, SignerValidationFailure)', async () => {
    const request = await opensslRequest('dave', '/CN=dave');
    const yaml = csrYaml('dave', request).replace('usages: [client auth]', 'usages: [digital signature, server auth]');
    await cp.k('create', '-f', cp.manifest('dave-csr.yaml', yaml));
    await cp.k('certificate', 'approve', 'dave');
    await eventually(async () => {
      expect(await cp.k('get', 'csr', 'dave', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}')).toBe('SignerValidationFailure');
    }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(await cp.k('get', 'csr', 'dave', '-o', 'jsonpath={.status.certificate}')).toBe('');
  });
});
