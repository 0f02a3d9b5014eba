/**
 * `tinykube join` against the real server: a bootstrap token from `tinykube token create`, token
 * discovery with the CA pinned, the TLS bootstrap through two auto-approved CSRs (client and node
 * API serving certificates), and the real agent running on Docker with the node's own credentials:
 * its Node becomes Ready, it runs a pod, and kubectl logs reach it through the API server, which
 * verifies the node's CA-signed serving certificate. A wrong pin or token changes nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, TestControlPlane } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';
import type { Run } from '../helpers/control-plane.js';
import { TestAgent } from '../helpers/test-agent.js';

function tinykube(...args: string[]): Promise<Run> {
  return new Promise((res) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

describe('tinykube join', () => {
  const cp = new TestControlPlane();
  let agent: TestAgent | undefined;
  let token = '';
  let caCertHash = '';
  beforeAll(async () => {
    await cp.start();
    const r = await tinykube('token', 'create', '--print-join-command', '--kubeconfig', cp.kubeconfig);
    expect(r.code, r.stderr).toBe(0);
    const m = /^tinykube join (\S+) --token (\S+) --ca-cert-hash (\S+)\n$/.exec(r.stdout);
    expect(m?.[1]).toBe(cp.url);
    token = m?.[2] ?? '';
    caCertHash = m?.[3] ?? '';
  }, 60_000);
  afterAll(async () => {
    await agent?.destroy();
    await cp.destroy();
  }, 60_000);

  it('refuses a wrong CA pin or a wrong token before it writes anything', async () => {
    const wrongPin = await tinykube('join', cp.url, '--token', token, '--ca-cert-hash', `sha256:${'0'.repeat(64)}`, '--data-dir', '/nonexistent/tk-join');
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr).toMatch(/cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "sha256:[0-9a-f]{64}" are pinned/);
    const wrongToken = await tinykube('join', cp.url, '--token', 'zzzzzz.0123456789abcdef', '--ca-cert-hash', caCertHash, '--data-dir', '/nonexistent/tk-join', '--discovery-timeout', '1s');
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/token id "zzzzzz" is invalid for this cluster or it has expired/);
    expect(existsSync('/nonexistent/tk-join')).toBe(false);
    const usage = await tinykube('join', cp.url, '--token', token);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--ca-cert-hash is required');
  });

  it('joins with its own credentials: CSRs auto-approved, Node Ready, a pod runs and its logs come through', async () => {
    agent = new TestAgent(cp, { join: { token, caCertHash } });
    await agent.start();
    const id = token.split('.')[0] ?? '';
    const csrs = await cp.k('get', 'csr', '-o', 'jsonpath={range .items[*]}{.spec.signerName} {.spec.username} {.status.conditions[0].type} {.status.certificate}{"\\n"}{end}');
    const rows = csrs.trim().split('\n').map((l) => l.split(' '));
    expect(rows.map((r) => `${r[0]} ${r[1]} ${r[2]}`).sort()).toEqual([
      `kubernetes.io/kube-apiserver-client-kubelet system:bootstrap:${id} Approved`,
      `kubernetes.io/kubelet-serving system:node:${agent.nodeName} Approved`,
    ]);
    for (const r of rows) expect(r[3]).not.toBe('');
    expect(existsSync(join(agent.dataDir, 'kubelet.kubeconfig'))).toBe(true);
    // the node's Lease is renewed by the node itself
    await eventually(async () => { expect(await cp.k('get', 'lease', '-n', 'kube-node-lease', agent!.nodeName, '-o', 'jsonpath={.spec.holderIdentity}')).toBe(agent!.nodeName); }, { timeoutMs: 10_000, intervalMs: 100 });
    await cp.k('run', 'joined', '--image', 'tinykube/busybox:1', '--restart', 'Never', '--overrides',
      JSON.stringify({ spec: { nodeName: agent.nodeName } }), '--', 'sh', '-c', 'echo hello from a joined node; sleep 3600');
    await eventually(async () => { expect(await cp.k('get', 'pod', 'joined', '-o', 'jsonpath={.status.phase}')).toBe('Running'); }, { timeoutMs: 60_000, intervalMs: 100 });
    await eventually(async () => { expect(await cp.k('logs', 'joined')).toContain('hello from a joined node'); }, { timeoutMs: 10_000, intervalMs: 100 });
    // the node's own credentials: it may read nodes, not other things (Node authorizer)
    const asNode = (...args: string[]) => cp.kubectl(['--kubeconfig', join(agent!.dataDir, 'kubelet.kubeconfig'), ...args]);
    expect((await asNode('get', 'nodes', '-o', 'name')).stdout).toContain(`node/${agent.nodeName}`);
    expect((await asNode('get', 'secrets', '-n', 'kube-system')).stderr)
      .toContain(`secrets is forbidden: User "system:node:${agent.nodeName}" cannot list resource "secrets" in API group "" in the namespace "kube-system"`);
    expect((await asNode('delete', 'node', 'some-other-node')).stderr).toContain(`node "${agent.nodeName}" is not allowed to modify node "some-other-node"`);
    await cp.k('delete', 'pod', 'joined', '--grace-period', '1');
  }, 180_000);
});
