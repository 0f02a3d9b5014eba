/**
 * RBAC through the real kubectl: users with client certificates signed by the cluster CA are
 * forbidden until bound, `view` reads pods but never secrets, an `edit` user cannot bind and an
 * `admin` user cannot grant what it does not hold; kubectl's create role|clusterrole|rolebinding|
 * clusterrolebinding work and print upstream's columns; invalid objects are 422 with causes.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestControlPlane } from '../helpers/control-plane.js';
import type { Run } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';

const NS = 'rbac-e2e';

function openssl(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('openssl', args, { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('kubectl: RBAC', () => {
  const cp = new TestControlPlane();
  beforeAll(async () => {
    await cp.start();
    await cp.k('create', 'namespace', NS);
  }, 60_000);
  afterAll(async () => { await cp.destroy(); });

  /** A kubeconfig for user `cn` (groups `o`), its certificate signed by the cluster CA here. */
  const userKubeconfig = async (cn: string, o?: string): Promise<string> => {
    const base = join(cp.dataDir, `user-${cn}`);
    const req = await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', `${o ? `/O=${o}` : ''}/CN=${cn}`, '-keyout', `${base}.key`, '-out', `${base}.csr`]);
    expect(req.code, req.stderr).toBe(0);
    const sign = await openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', join(cp.pkiDir, 'ca.crt'), '-CAkey', join(cp.pkiDir, 'ca.key'),
      '-CAcreateserial', '-CAserial', `${base}.srl`, '-days', '1', '-out', `${base}.crt`]);
    expect(sign.code, sign.stderr).toBe(0);
    return cp.manifest(`user-${cn}.kubeconfig`, [
      'apiVersion: v1', 'kind: Config', `current-context: ${cn}`,
      `clusters: [{name: c, cluster: {server: "${cp.url}", certificate-authority: "${join(cp.pkiDir, 'ca.crt')}"}}]`,
      `users: [{name: ${cn}, user: {client-certificate: "${base}.crt", client-key: "${base}.key"}}]`,
      `contexts: [{name: ${cn}, context: {cluster: c, user: ${cn}, namespace: ${NS}}}]`, '',
    ].join('\n'));
  };
  const as = (kubeconfig: string, ...args: string[]) => cp.kubectl(['--kubeconfig', kubeconfig, ...args]);

  it('a user is forbidden until a RoleBinding to view exists; secrets stay forbidden', async () => {
    const alice = await userKubeconfig('alice');
    const before = await as(alice, 'get', 'pods');
    expect(before.code).not.toBe(0);
    expect(before.stderr).toContain(`pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "${NS}"`);

    expect(await cp.k('create', 'rolebinding', 'alice-view', '--clusterrole=view', '--user=alice', '-n', NS))
      .toContain('rolebinding.rbac.authorization.k8s.io/alice-view created');
    await eventually(async () => {
      const after = await as(alice, 'get', 'pods');
      expect(after.code, after.stderr).toBe(0);
      expect(after.stderr).toContain(`No resources found in ${NS} namespace.`);
    }, { timeoutMs: 15_000, intervalMs: 200 });
    const secrets = await as(alice, 'get', 'secrets');
    expect(secrets.code).not.toBe(0);
    expect(secrets.stderr).toContain(`secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "${NS}"`);
    const other = await as(alice, 'get', 'pods', '-n', 'default');
    expect(other.stderr).toContain('cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('a group binding lets a user in; edit cannot bind, admin cannot grant what it does not hold', async () => {
    const bob = await userKubeconfig('bob', 'editors');
    await cp.k('create', 'rolebinding', 'editors-edit', '--clusterrole=edit', '--group=editors', '-n', NS);
    await eventually(async () => { expect((await as(bob, 'create', 'configmap', 'from-bob')).code).toBe(0); }, { timeoutMs: 15_000, intervalMs: 200 });
    const bind = await as(bob, 'create', 'rolebinding', 'bob-admin', '--clusterrole=cluster-admin', '--user=bob');
    expect(bind.code).not.toBe(0);
    expect(bind.stderr).toContain('rolebindings.rbac.authorization.k8s.io is forbidden: User "bob" cannot create resource "rolebindings" in API group "rbac.authorization.k8s.io"');

    const carol = await userKubeconfig('carol');
    await cp.k('create', 'rolebinding', 'carol-admin', '--clusterrole=admin', '--user=carol', '-n', NS);
    await eventually(async () => { expect((await as(carol, 'get', 'rolebindings')).code).toBe(0); }, { timeoutMs: 15_000, intervalMs: 200 });
    const escalate = await as(carol, 'create', 'rolebinding', 'carol-ca', '--clusterrole=cluster-admin', '--user=carol');
    expect(escalate.code).not.toBe(0);
    expect(escalate.stderr).toContain('rolebindings.rbac.authorization.k8s.io "carol-ca" is forbidden: user "carol" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:');
    expect(escalate.stderr).toContain('{APIGroups:["*"], Resources:["*"], Verbs:["*"]}');
    const role = await as(carol, 'create', 'role', 'nodes-too', '--verb=get', '--resource=nodes');
    expect(role.stderr).toContain('is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}');
    // what it holds, it may grant
    expect((await as(carol, 'create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods')).stdout).toContain('role.rbac.authorization.k8s.io/pod-reader created');
    expect((await as(carol, 'create', 'rolebinding', 'bob-pods', '--role=pod-reader', '--user=bob')).stdout).toContain('rolebinding.rbac.authorization.k8s.io/bob-pods created');
    const missing = await as(carol, 'create', 'rolebinding', 'to-nothing', '--role=nothing', '--user=bob');
    expect(missing.stderr).toContain('roles.rbac.authorization.k8s.io "nothing" not found');
  });

  it('kubectl create role|clusterrole|rolebinding|clusterrolebinding, and the tables', async () => {
    expect(await cp.k('create', 'role', 'r1', '--verb=get', '--resource=pods,deployments.apps', '--resource-name=p', '-n', NS)).toContain('role.rbac.authorization.k8s.io/r1 created');
    expect(await cp.k('create', 'clusterrole', 'cr1', '--verb=get', '--non-resource-url=/logs/*')).toContain('clusterrole.rbac.authorization.k8s.io/cr1 created');
    expect(await cp.k('create', 'clusterrole', 'agg', '--aggregation-rule=team=a')).toContain('clusterrole.rbac.authorization.k8s.io/agg created');
    expect(await cp.k('create', 'rolebinding', 'rb1', '--role=r1', '--user=u1', '--group=g1', `--serviceaccount=${NS}:default`, '-n', NS)).toContain('rolebinding.rbac.authorization.k8s.io/rb1 created');
    expect(await cp.k('create', 'clusterrolebinding', 'crb1', '--clusterrole=cr1', '--user=u1')).toContain('clusterrolebinding.rbac.authorization.k8s.io/crb1 created');
    expect(await cp.k('get', 'role', 'r1', '-n', NS)).toMatch(/^NAME\s+CREATED AT\nr1\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    expect(await cp.k('get', 'rolebinding', 'rb1', '-n', NS, '-o', 'wide'))
      .toMatch(new RegExp(`^NAME\\s+ROLE\\s+AGE\\s+USERS\\s+GROUPS\\s+SERVICEACCOUNTS\\nrb1\\s+Role/r1\\s+\\S+\\s+u1\\s+g1\\s+${NS}:default\\n$`));
    expect(await cp.k('get', 'clusterrolebinding', 'crb1')).toMatch(/^NAME\s+ROLE\s+AGE\ncrb1\s+ClusterRole\/cr1\s+\S+\n$/);
    expect(await cp.k('get', 'clusterrole', 'cr1', '-o', 'jsonpath={.rules[0].nonResourceURLs[0]}')).toBe('/logs/*');
    // the aggregation controller fills admin, edit and view
    await eventually(async () => { expect(await cp.k('get', 'clusterrole', 'view', '-o', 'jsonpath={.rules[*].resources}')).toContain('pods'); }, { timeoutMs: 15_000, intervalMs: 200 });
  });

  it('invalid objects are 422 with causes; roleRef never changes', async () => {
    const bad = cp.manifest('bad-role.yaml', `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: bad\n  namespace: ${NS}\nrules:\n- apiGroups: [""]\n  resources: [pods]\n- verbs: [get]\n  nonResourceURLs: [/x]\n`);
    const r = await cp.kubectl(['create', '-f', bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Role "bad" is invalid:');
    expect(r.stderr).toContain('rules[0].verbs: Required value: verbs must contain at least one value');
    expect(r.stderr).toContain('rules[1].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs');
    const crb = cp.manifest('bad-crb.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: bad\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: x\nsubjects:\n- kind: ServiceAccount\n  name: default\n');
    const c = await cp.kubectl(['create', '-f', crb]);
    expect(c.stderr).toContain('roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"');
    expect(c.stderr).toContain('subjects[0].namespace: Required value');
    await cp.k('create', 'rolebinding', 'fixed', '--clusterrole=view', '--user=x', '-n', NS);
    const patch = await cp.kubectl(['patch', 'rolebinding', 'fixed', '-n', NS, '--type=merge', '-p', '{"roleRef":{"name":"edit"}}']);
    expect(patch.stderr).toContain('roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef');
  });
});
