/**
 * Issue 10, what a node's credentials and a node's machine give away (items 5 and 8):
 * - a node's kubelet-serving CSR is approved on its own only for the node's name and its Node's
 *   addresses; one for kubernetes.default.svc or the API server's address stays Pending for an
 *   admin, whatever the node writes into its own status (a real node credential from the TLS
 *   bootstrap through a bootstrap token, against the real server and kubectl);
 * - `cluster up` hands the bootstrap token to its nodes without a command line (/proc/<pid>/cmdline),
 *   and leaves the database, logs, keys and kubeconfigs readable by root only.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, TestControlPlane } from '../helpers/control-plane.js';
import type { Run } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';

function run(cmd: string, args: readonly string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
const tinykube = (...args: string[]) => run(process.execPath, [CLI, ...args], 180_000);
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('a node credential: kubelet serving certificates only for the node’s own addresses', () => {
  const cp = new TestControlPlane();
  const node = `tk-sec-${randomBytes(3).toString('hex')}`;
  const nodeIP = '10.254.7.7';
  let asNode: (...args: string[]) => Promise<Run>;
  beforeAll(async () => { await cp.start(); }, 60_000);
  afterAll(async () => { await cp.destroy(); });

  /** An EC key and a request for `cn` / `o` with these SANs; returns the request PEM. */
  const request = async (file: string, cn: string, o: string, sans: string[] = []): Promise<string> => {
    const r = await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', `/O=${o}/CN=${cn}`, '-keyout', join(cp.dataDir, `${file}.key`), '-out', join(cp.dataDir, `${file}.csr`),
      ...(sans.length > 0 ? ['-addext', `subjectAltName=${sans.join(',')}`] : [])]);
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(join(cp.dataDir, `${file}.csr`), 'utf8');
  };
  const csr = (name: string, pem: string, signer: string, usages: string) => cp.manifest(`${name}.yaml`,
    `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: ${name}\nspec:\n  request: ${Buffer.from(pem).toString('base64')}\n  signerName: ${signer}\n  usages: ${usages}\n`);
  const serving = async (name: string, sans: string[]) => {
    const r = await asNode('create', '-f', csr(name, await request(name, `system:node:${node}`, 'system:nodes', sans), 'kubernetes.io/kubelet-serving', '[digital signature, server auth]'));
    expect(r.code, r.stderr).toBe(0);
  };
  /** PUT the node's status with these addresses, as the kubelet does (a node may not GET nodes/status, which kubectl patch would). */
  const setAddresses = async (addresses: Array<{ type: string; address: string }>) => {
    const cur = JSON.parse((await asNode('get', 'node', node, '-o', 'json')).stdout) as { status?: Record<string, unknown> };
    const file = cp.manifest('node-status.json', JSON.stringify({ ...cur, status: { ...cur.status, addresses } }));
    const r = await asNode('replace', '--raw', `/api/v1/nodes/${node}/status`, '-f', file);
    expect(r.code, r.stderr).toBe(0);
  };
  const condition = (name: string) => cp.k('get', 'csr', name, '-o', 'jsonpath={.status.conditions[*].type}');
  const approved = (name: string) => eventually(async () => { expect(await condition(name)).toBe('Approved'); }, { timeoutMs: 15_000, intervalMs: 100 });

  it('gets a client certificate as a new node through a bootstrap token', async () => {
    const created = await tinykube('token', 'create', '--kubeconfig', cp.kubeconfig);
    const token = created.stdout.trim();
    expect(token, created.stderr).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const manifest = csr('node-client', await request('node-client', `system:node:${node}`, 'system:nodes'), 'kubernetes.io/kube-apiserver-client-kubelet', '[digital signature, client auth]');
    await eventually(async () => { expect(await cp.k('--token', token, 'create', '-f', manifest)).toContain('created'); }, { timeoutMs: 10_000, intervalMs: 100 });
    const cert = await eventually(async () => {
      const c = await cp.k('get', 'csr', 'node-client', '-o', 'jsonpath={.status.certificate}');
      expect(c).not.toBe('');
      return c;
    }, { timeoutMs: 15_000, intervalMs: 100 });
    const kubeconfig = cp.manifest('node.kubeconfig', [
      'apiVersion: v1', 'kind: Config', 'current-context: nodectx',
      `clusters: [{name: c, cluster: {server: "${cp.url}", certificate-authority: "${join(cp.pkiDir, 'ca.crt')}"}}]`,
      `users: [{name: nodeuser, user: {client-certificate-data: "${cert}", client-key-data: "${Buffer.from(readFileSync(join(cp.dataDir, 'node-client.key'))).toString('base64')}"}}]`,
      'contexts: [{name: nodectx, context: {cluster: c, user: nodeuser}}]', '',
    ].join('\n'));
    asNode = (...args) => cp.kubectl(['--kubeconfig', kubeconfig, ...args]);
    expect((await asNode('get', 'secrets', '-n', 'kube-system')).stderr).toContain(`User "system:node:${node}" cannot list resource "secrets"`);
  });

  it('waits for the Node: a request sent before the node registered is approved once its addresses are known', async () => {
    await serving('early', [`DNS:${node}`, `IP:${nodeIP}`]);
    // the approver has one worker and a first-in first-out queue: once the node's later client
    // certificate renewal is approved, the serving request before it has been looked at
    const renew = await asNode('create', '-f', csr('renew', await request('renew', `system:node:${node}`, 'system:nodes'), 'kubernetes.io/kube-apiserver-client-kubelet', '[digital signature, client auth]'));
    expect(renew.code, renew.stderr).toBe(0);
    await approved('renew');
    expect(await condition('early')).toBe(''); // no Node: nothing is the node's yet
    const created = await asNode('create', '-f', cp.manifest('node.yaml', `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${node}\n`));
    expect(created.code, created.stderr).toBe(0);
    await setAddresses([{ type: 'InternalIP', address: nodeIP }, { type: 'Hostname', address: node }]);
    await approved('early');
    await eventually(async () => { expect(await cp.k('get', 'csr', 'early', '-o', 'jsonpath={.status.certificate}')).not.toBe(''); }, { timeoutMs: 15_000, intervalMs: 100 });
  });

  it('leaves a request for kubernetes.default.svc or the API server’s address Pending for an admin, even when the node claims them', async () => {
    await serving('apiserver-name', [`DNS:${node}`, 'DNS:kubernetes.default.svc']);
    await serving('apiserver-ip', [`IP:${nodeIP}`, 'IP:127.0.0.1']);
    await serving('other-node', [`IP:${nodeIP}`, 'IP:10.254.7.8']);
    // once a later good request is approved, the ones before it have been looked at
    await serving('good-1', [`DNS:${node}`, `IP:${nodeIP}`]);
    await approved('good-1');
    for (const name of ['apiserver-name', 'apiserver-ip', 'other-node']) expect(await condition(name), name).toBe('');

    // the node may write its own status: claiming the API server's names changes nothing
    const svcIP = await cp.k('get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}');
    await setAddresses([{ type: 'InternalIP', address: nodeIP }, { type: 'InternalIP', address: svcIP }, { type: 'Hostname', address: 'kubernetes.default.svc' }]);
    await serving('claimed', [`IP:${svcIP}`, 'DNS:kubernetes.default.svc']);
    await serving('good-2', [`IP:${nodeIP}`]);
    await approved('good-2');
    for (const name of ['apiserver-name', 'claimed']) expect(await condition(name), name).toBe('');
    expect(await cp.k('get', 'csr', 'apiserver-name', '-o', 'jsonpath={.status.certificate}')).toBe('');

    // an admin still decides
    expect(await cp.k('certificate', 'approve', 'other-node')).toContain('approved');
    await eventually(async () => { expect(await cp.k('get', 'csr', 'other-node')).toMatch(/Approved,Issued/); }, { timeoutMs: 15_000, intervalMs: 100 });
  });
});

const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const clusterSkip = process.getuid?.() !== 0 ? 'needs root' : !existsSync(CLI) ? `needs the compiled CLI ${CLI}` : !ok('ip', ['-V']) ? 'needs iproute2' : '';
if (clusterSkip) console.warn(`security-node e2e (cluster) skipped: ${clusterSkip}`);

describe.skipIf(clusterSkip !== '')('cluster up: no token on a command line, files readable by root only', () => {
  const name = `tk${randomBytes(3).toString('hex')}`;
  let up = false;
  afterAll(async () => { if (up) await tinykube('cluster', 'down', '--name', name); }, 120_000);

  it('runs every node without the bootstrap token in its argv; state, logs, keys and kubeconfigs are 0600 in 0700 dirs', async () => {
    const r = await tinykube('cluster', 'up', '--name', name, '--nodes', '1');
    up = r.code === 0;
    expect(r.code, r.stderr).toBe(0);
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(r.stdout)?.[1] ?? '';
    const dataDir = join(kubeconfig, '..');
    const state = JSON.parse(readFileSync(join(dataDir, 'cluster.json'), 'utf8')) as { serverPid: number; agentPids: Record<string, number> };

    // the token the nodes joined with: every bootstrap token of this cluster
    const secrets = JSON.parse((await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'secrets', '-n', 'kube-system', '-o', 'json'])).stdout) as
      { items: Array<{ type: string; data: Record<string, string> }> };
    const tokens = secrets.items.filter((s) => s.type === 'bootstrap.kubernetes.io/token')
      .map((s) => Buffer.from(s.data['token-secret'] ?? '', 'base64').toString());
    expect(tokens.length).toBeGreaterThan(0);
    const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dataDir); } catch { return false; } // gone meanwhile
    });
    expect(pids.map(Number)).toEqual(expect.arrayContaining([state.serverPid, ...Object.values(state.agentPids)]));
    for (const pid of pids) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      for (const t of tokens) expect(cmdline, `pid ${pid}`).not.toContain(t);
    }

    const nodeDir = join(dataDir, 'nodes', `${name}-n1`);
    const want: Array<[string, string]> = [
      [dataDir, '700'], [join(dataDir, 'pki'), '700'], [nodeDir, '700'], [join(nodeDir, 'pki'), '700'],
      [join(dataDir, 'state.db'), '600'], [join(dataDir, 'state.db-wal'), '600'], [join(dataDir, 'state.db-shm'), '600'],
      [join(dataDir, 'control.log'), '600'], [join(dataDir, 'admin.kubeconfig'), '600'], [join(dataDir, 'admin.token'), '600'],
      [join(dataDir, 'pki', 'ca.key'), '600'], [join(nodeDir, 'agent.log'), '600'], [join(nodeDir, 'kubelet.kubeconfig'), '600'],
      [join(nodeDir, 'pki', 'kubelet.key'), '600'],
    ];
    expect(want.map(([p]) => `${p} ${mode(p)}`)).toEqual(want.map(([p, m]) => `${p} ${m}`));

    const down = await tinykube('cluster', 'down', '--name', name);
    expect(down.code, down.stderr).toBe(0);
    up = false;
  }, 240_000);
});
