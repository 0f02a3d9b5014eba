/**
 * Bootstrap tokens against the real server: `tinykube token create|list|delete` with the admin
 * kubeconfig, the token authenticating kubectl, and anonymous discovery of kube-public/cluster-info
 * whose `jws-kubeconfig-<id>` verifies with the token (what `tinykube join` will do).
 */
import { execFile } from 'node:child_process';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClusterInfoKubeconfig } from '../../control/bootstrap-token/cluster-info.js';
import { verifyDetachedSignature } from '../../control/bootstrap-token/jws.js';
import { caCertHash } from '../../control/pki/ca-cert-hash.js';
import { CLI, TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import type { Run } from '../helpers/control-plane.js';

const CLUSTER_INFO = '/api/v1/namespaces/kube-public/configmaps/cluster-info';

function tinykube(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((res) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

/** A GET with the cluster CA and no credentials at all (kubeadm-style discovery). */
function anonymousGet(cp: TestControlPlane, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: cp.port, path, ca: cp.caCert, headers: { Accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function clusterInfoData(cp: TestControlPlane): Promise<Record<string, string>> {
  const r = await anonymousGet(cp, CLUSTER_INFO);
  expect(r.status).toBe(200);
  return (JSON.parse(r.body) as { data?: Record<string, string> }).data ?? {};
}

describe('bootstrap tokens', () => {
  const cp = new TestControlPlane();
  let env: Record<string, string>;
  beforeAll(async () => { await cp.start(); env = { KUBECONFIG: cp.kubeconfig }; });
  afterAll(async () => { await cp.destroy(); });

  let token = '';

  it('token create prints a token that authenticates kubectl; token list shows it', async () => {
    const created = await tinykube(env, 'token', 'create', '--description', 'e2e');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    token = created.stdout.trim();
    expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    await eventually(async () => { expect(await cp.k('--token', token, 'get', '--raw', '/api')).toContain('"kind":"APIVersions"'); }, { timeoutMs: 10_000, intervalMs: 100 });
    // a bootstrap token may only create and read CSRs (system:node-bootstrapper): nothing else
    const id = token.split('.')[0] ?? '';
    expect((await cp.kubectl(['--token', token, 'get', 'pods'])).stderr)
      .toContain(`pods is forbidden: User "system:bootstrap:${id}" cannot list resource "pods" in API group "" in the namespace "default"`);
    expect((await cp.kubectl(['--token', token, 'get', 'csr'])).stderr).not.toContain('forbidden');
    expect((await cp.kubectl(['--token', 'abcdef.0123456789abcdef', 'get', '--raw', '/api'])).stderr).toContain('Unauthorized');

    const list = await tinykube({}, 'token', 'list', '--kubeconfig', cp.kubeconfig);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS\n/);
    expect(list.stdout).toMatch(new RegExp(`${token.replace('.', '\\.')}\\s+23h\\s+\\S+Z\\s+authentication,signing\\s+e2e\\s+system:bootstrappers:tinykube:default-node-token`));
  });

  it('anyone may read cluster-info, signed with the token; nothing else without credentials', async () => {
    const id = token.slice(0, 6);
    const data = await eventually(async () => {
      const d = await clusterInfoData(cp);
      expect(d[`jws-kubeconfig-${id}`]).toBeDefined();
      return d;
    }, { timeoutMs: 10_000, intervalMs: 100 });
    const kubeconfig = data['kubeconfig'] ?? '';
    expect(parseClusterInfoKubeconfig(kubeconfig)).toEqual({ server: cp.url, caCertPem: cp.caCert });
    expect(verifyDetachedSignature(data[`jws-kubeconfig-${id}`]!, kubeconfig, id, token.slice(7))).toBe(true);
    expect(verifyDetachedSignature(data[`jws-kubeconfig-${id}`]!, kubeconfig, id, 'x'.repeat(16))).toBe(false);

    for (const path of ['/api', '/api/v1/namespaces/kube-public/configmaps', '/api/v1/namespaces/kube-system/secrets', `${CLUSTER_INFO}/x`]) {
      expect((await anonymousGet(cp, path)).status, path).toBe(403);
    }
  });

  it('--print-join-command prints the join line for the advertised server and the CA', async () => {
    const r = await tinykube(env, 'token', 'create', '--print-join-command', '--ttl', '1h');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^tinykube join ${cp.url.replace(/\./g, '\\.')} --token [a-z0-9]{6}\\.[a-z0-9]{16} --ca-cert-hash ${caCertHash(cp.caCert)}\\n$`));
  });

  it('token delete: the token no longer authenticates and its signature goes', async () => {
    const id = token.slice(0, 6);
    const r = await tinykube(env, 'token', 'delete', token);
    expect(r).toEqual({ code: 0, stdout: `bootstrap token "${id}" deleted\n`, stderr: '' });
    await eventually(async () => { expect((await cp.kubectl(['--token', token, 'get', '--raw', '/api'])).stderr).toContain('Unauthorized'); }, { timeoutMs: 10_000, intervalMs: 100 });
    await eventually(async () => { expect((await clusterInfoData(cp))[`jws-kubeconfig-${id}`]).toBeUndefined(); }, { timeoutMs: 10_000, intervalMs: 100 });
    expect((await tinykube(env, 'token', 'list')).stdout).not.toContain(token);
  });

  it('bad input: one line, exit 2; a missing token: exit 1', async () => {
    const bad = await tinykube(env, 'token', 'create', 'NOT-A-TOKEN');
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('tinykube: the bootstrap token "NOT-A-TOKEN" was not of the form "[a-z0-9]{6}.[a-z0-9]{16}"');
    const missing = await tinykube(env, 'token', 'delete', 'zzzzzz');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('tinykube: failed to delete bootstrap token "zzzzzz": secrets "bootstrap-token-zzzzzz" not found\n');
  });
});
