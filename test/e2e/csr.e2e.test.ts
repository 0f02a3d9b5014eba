/**
 * CertificateSigningRequests through the real kubectl: create from an OpenSSL request, approve
 * (the signer issues a certificate OpenSSL verifies against the cluster CA, and it logs in),
 * deny, and a refused create that stores nothing.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';

function run(cmd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('kubectl: certificate signing requests', () => {
  const cp = new TestControlPlane();
  beforeAll(async () => { await cp.start(); });
  afterAll(async () => { await cp.destroy(); });

  /** A new EC key and request for `cn` (and `o`) in the data dir; returns the request's PEM. */
  const opensslRequest = async (cn: string, o?: string): Promise<string> => {
    const file = cn.replace(/:/g, '_');
    const r = await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', `${o ? `/O=${o}` : ''}/CN=${cn}`, '-keyout', join(cp.dataDir, `${file}.key`), '-out', join(cp.dataDir, `${file}.csr`)]);
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(join(cp.dataDir, `${file}.csr`), 'utf8');
  };
  const csrManifest = (name: string, request: string, signer = 'signerName: kubernetes.io/kube-apiserver-client\n  ', usages = '[client auth]') =>
    cp.manifest(`${name}-csr.yaml`, `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: ${name}\nspec:\n  request: ${Buffer.from(request).toString('base64')}\n  ${signer}expirationSeconds: 86400\n  usages: ${usages}\n`);

  it('create -> Pending; approve -> Approved,Issued with a certificate the CA verifies and the server accepts', async () => {
    const request = await opensslRequest('jane');
    expect(await cp.k('create', '-f', csrManifest('jane', request))).toContain('certificatesigningrequest.certificates.k8s.io/jane created');
    const requestor = await cp.k('get', 'csr', 'jane', '-o', 'jsonpath={.spec.username}');
    expect(requestor).not.toBe('');
    expect(await cp.k('get', 'csr')).toMatch(new RegExp(`^NAME\\s+AGE\\s+SIGNERNAME\\s+REQUESTOR\\s+REQUESTEDDURATION\\s+CONDITION\\njane\\s+\\S+\\s+kubernetes.io/kube-apiserver-client\\s+${requestor}\\s+24h\\s+Pending\\n`));

    expect(await cp.k('certificate', 'approve', 'jane')).toContain('certificatesigningrequest.certificates.k8s.io/jane approved');
    await eventually(async () => { expect(await cp.k('get', 'csr', 'jane')).toMatch(/jane\s+.*\s+Approved,Issued\n/); }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(await cp.k('get', 'csr', 'jane', '-o', 'jsonpath={.status.conditions[0].reason}')).toBe('KubectlApprove');

    const crt = join(cp.dataDir, 'jane.crt');
    writeFileSync(crt, Buffer.from(await cp.k('get', 'csr', 'jane', '-o', 'jsonpath={.status.certificate}'), 'base64'));
    const verify = await run('openssl', ['verify', '-CAfile', join(cp.pkiDir, 'ca.crt'), crt]);
    expect(verify.stdout + verify.stderr).toContain(`${crt}: OK`);
    const text = await run('openssl', ['x509', '-in', crt, '-noout', '-subject', '-ext', 'extendedKeyUsage']);
    expect(text.stdout).toMatch(/subject=CN\s?=\s?jane/);
    expect(text.stdout).toContain('TLS Web Client Authentication');

    // the issued certificate logs in as jane
    const kubeconfig = cp.manifest('jane.kubeconfig', [
      'apiVersion: v1', 'kind: Config', 'current-context: jane',
      'clusters: [{name: c, cluster: {server: "' + cp.url + '", certificate-authority: "' + join(cp.pkiDir, 'ca.crt') + '"}}]',
      'users: [{name: jane, user: {client-certificate: "' + crt + '", client-key: "' + join(cp.dataDir, 'jane.key') + '"}}]',
      'contexts: [{name: jane, context: {cluster: c, user: jane}}]', '',
    ].join('\n'));
    const asJane = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(cp.dataDir, 'jane-cache'), 'get', '--raw', '/api']);
    expect(asJane.code, asJane.stderr).toBe(0);
    expect(asJane.stdout).toContain('"kind":"APIVersions"');
  });

  it('deny -> Denied, and nothing is issued', async () => {
    await cp.k('create', '-f', csrManifest('bob', await opensslRequest('bob')));
    expect(await cp.k('certificate', 'deny', 'bob')).toContain('certificatesigningrequest.certificates.k8s.io/bob denied');
    expect(await cp.k('get', 'csr', 'bob')).toMatch(/bob\s+.*\s+Denied\n/);
    expect(await cp.k('get', 'csr', 'bob', '-o', 'jsonpath={.status.conditions[0].type}/{.status.conditions[0].reason}/{.status.certificate}')).toBe('Denied/KubectlDeny/');
    const described = await cp.k('describe', 'csr', 'bob');
    expect(described).toMatch(/Signer:\s+kubernetes.io\/kube-apiserver-client/);
    expect(described).toMatch(/Status:\s+Denied/);
    expect(described).toMatch(/Common Name:\s+bob/);
    expect(await cp.k('explain', 'csr.spec.request')).toMatch(/FIELD:\s+request <string>/);
  });

  it('refuses a garbage request without a signerName with a 422, storing nothing', async () => {
    const bad = await cp.kubectl(['create', '-f', csrManifest('bad', 'garbage', '')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The CertificateSigningRequest "bad" is invalid');
    expect(bad.stderr).toContain('spec.request: Invalid value: []byte{0x67, 0x61, 0x72, 0x62, 0x61, 0x67, 0x65}: PEM block type must be CERTIFICATE REQUEST');
    expect(bad.stderr).toContain('spec.signerName: Required value');
    expect((await cp.kubectl(['get', 'csr', 'bad'])).stderr).toContain('certificatesigningrequests.certificates.k8s.io "bad" not found');
  });

  it('a node bootstrapping with a bootstrap token gets its kubelet client certificate approved and issued on its own', async () => {
    const created = await run(process.execPath, [CLI, 'token', 'create', '--kubeconfig', cp.kubeconfig]);
    const token = created.stdout.trim();
    expect(token, created.stderr).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const request = await opensslRequest('system:node:w1', 'system:nodes');
    const manifest = csrManifest('node-csr-w1', request, 'signerName: kubernetes.io/kube-apiserver-client-kubelet\n  ', '[digital signature, client auth]');
    await eventually(async () => { expect(await cp.k('--token', token, 'create', '-f', manifest)).toContain('node-csr-w1 created'); }, { timeoutMs: 10_000, intervalMs: 100 });
    expect(await cp.k('get', 'csr', 'node-csr-w1', '-o', 'jsonpath={.spec.username} {.spec.groups}')).toMatch(/^system:bootstrap:[a-z0-9]{6} .*"system:bootstrappers"/);
    await eventually(async () => { expect(await cp.k('get', 'csr', 'node-csr-w1')).toMatch(/node-csr-w1\s+.*\s+Approved,Issued\n/); }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(await cp.k('get', 'csr', 'node-csr-w1', '-o', 'jsonpath={.status.conditions[0].reason}: {.status.conditions[0].message}'))
      .toBe('AutoApproved: Auto approving kubelet client certificate after SubjectAccessReview.');
  });
});
