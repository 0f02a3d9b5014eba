/**
 * The review APIs, impersonation and `kubectl auth` with the real kubectl against a real server:
 * can-i (namespaces, --as, --as-group, --list), whoami (also -o yaml), a SubjectAccessReview the
 * admin creates about another user, impersonation refused to a user without the right (and
 * allowed once an impersonator role is bound), and `kubectl auth reconcile` of a Role and
 * RoleBinding (creates, is idempotent, --remove-extra-permissions). Non-admin users are
 * certificate users from `tinykube kubeconfig user`, restricted by RBAC.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, TestControlPlane } from '../helpers/control-plane.js';
import type { Run } from '../helpers/control-plane.js';
import { eventually } from '../helpers/eventually.js';

const NS = 'tk-reviews';

describe('kubectl auth: reviews and impersonation', () => {
  const cp = new TestControlPlane();
  /** kubectl as a certificate user (a kubeconfig written by `tinykube kubeconfig user`). */
  const users = new Map<string, string>();
  const as = (user: string, ...args: string[]): Promise<Run> =>
    cp.kubectl(['--kubeconfig', users.get(user)!, ...args]);

  const userKubeconfig = (name: string, groups: string[] = []): Promise<string> => new Promise((resolve, reject) => {
    const args = [CLI, 'kubeconfig', 'user', '--name', name, ...groups.flatMap((g) => ['--group', g]), '--data-dir', cp.dataDir, '--server', cp.url];
    execFile(process.execPath, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) { reject(new Error(`kubeconfig user ${name}: ${stderr}`)); return; }
      resolve(cp.manifest(`${name}.kubeconfig`, stdout));
    });
  });

  beforeAll(async () => {
    await cp.start();
    await cp.k('create', 'namespace', NS);
    users.set('carol', await userKubeconfig('carol', ['qa']));
  }, 60_000);
  afterAll(async () => { await cp.destroy(); });

  it('can-i as the admin: yes everywhere, with and without --namespace', async () => {
    expect(await cp.k('auth', 'can-i', 'create', 'pods')).toBe('yes\n');
    expect(await cp.k('auth', 'can-i', 'delete', 'secrets', '--namespace', 'kube-system')).toBe('yes\n');
    expect(await cp.k('auth', 'can-i', 'get', '/metrics')).toBe('yes\n');
  });

  it('whoami tells the admin who it is, as a table and as YAML', async () => {
    const table = await cp.k('auth', 'whoami');
    expect(table).toMatch(/^ATTRIBUTE\s+VALUE\nUsername\s+kubernetes-admin\nGroups\s+\[system:masters system:authenticated\]\n$/);
    const yaml = await cp.k('auth', 'whoami', '-o', 'yaml');
    expect(yaml).toContain('apiVersion: authentication.k8s.io/v1');
    expect(yaml).toContain('kind: SelfSubjectReview');
    expect(yaml).toMatch(/userInfo:\n\s+groups:\n\s+- system:masters\n\s+- system:authenticated\n\s+username: kubernetes-admin/);
  });

  it('--as and --as-group: the admin acts as another user, whom RBAC restricts', async () => {
    expect(await cp.k('auth', 'whoami', '--as', 'bob', '--as-group', 'devs', '--as-group', 'ops')).toMatch(/Username\s+bob\nGroups\s+\[devs ops system:authenticated\]\n/);
    expect(await cp.k('auth', 'whoami', '--as', 'bob', '--as-uid', 'b-1')).toMatch(/Username\s+bob\nUID\s+b-1\nGroups\s+\[system:authenticated\]\n/);
    const no = await cp.kubectl(['auth', 'can-i', 'create', 'deployments', '--namespace', NS, '--as', 'bob']);
    expect(no).toMatchObject({ code: 1, stdout: 'no\n' });
    // a group binding in the namespace: bob with the group may, bob alone may not
    await cp.k('create', 'clusterrole', 'tk-deployer', '--verb', 'get,list,create', '--resource', 'deployments.apps');
    await cp.k('create', 'rolebinding', 'devs-deploy', '--clusterrole', 'tk-deployer', '--group', 'devs', '--namespace', NS);
    await eventually(async () => {
      expect(await cp.k('auth', 'can-i', 'create', 'deployments', '--namespace', NS, '--as', 'bob', '--as-group', 'devs')).toBe('yes\n');
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect((await cp.kubectl(['auth', 'can-i', 'create', 'deployments', '--namespace', NS, '--as', 'bob'])).stdout).toBe('no\n');
    expect((await cp.kubectl(['auth', 'can-i', 'create', 'deployments', '--namespace', 'default', '--as', 'bob', '--as-group', 'devs'])).stdout).toBe('no\n');
    // and the request itself, not only the review, runs as bob
    const refused = await cp.kubectl(['get', 'secrets', '--namespace', 'default', '--as', 'bob']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error from server (Forbidden): secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "default"');
  });

  it('can-i --list: the admin has * on everything; a user sees the rules bound to it in the namespace', async () => {
    const admin = await cp.k('auth', 'can-i', '--list');
    expect(admin).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n/);
    expect(admin).toMatch(/\n\*\.\*\s+\[\]\s+\[\]\s+\[\*\]\n/);
    expect(admin).toMatch(/\n\s+\[\*\]\s+\[\]\s+\[\*\]\n/);
    const bob = await cp.k('auth', 'can-i', '--list', '--namespace', NS, '--as', 'bob', '--as-group', 'devs');
    expect(bob).toMatch(/\ndeployments\.apps\s+\[\]\s+\[\]\s+\[get list create\]\n/);
    expect(bob).toMatch(/\nselfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]\n/);
    const bobElsewhere = await cp.k('auth', 'can-i', '--list', '--namespace', 'default', '--as', 'bob', '--as-group', 'devs');
    expect(bobElsewhere).not.toMatch(/\ndeployments\.apps\s/);
  });

  it('a SubjectAccessReview by the admin answers for another user', async () => {
    const sar = (user: string, groups: string[]) => cp.manifest(`sar-${user}-${groups.length}.yaml`, [
      'apiVersion: authorization.k8s.io/v1', 'kind: SubjectAccessReview', 'spec:', `  user: ${user}`,
      ...(groups.length ? ['  groups:', ...groups.map((g) => `  - ${g}`)] : []),
      '  resourceAttributes:', `    namespace: ${NS}`, '    verb: create', '    group: apps', '    resource: deployments', '',
    ].join('\n'));
    // --validate=false: kubectl checks kinds without a PATCH operation against /openapi/v2, which tinykube does not serve
    expect(await cp.k('create', '--validate=false', '-f', sar('bob', ['devs']), '-o', 'jsonpath={.status.allowed}')).toBe('true');
    expect(await cp.k('create', '--validate=false', '-f', sar('bob', []), '-o', 'jsonpath={.status.allowed}')).toBe('false');
    // neither user nor group: upstream's 422
    const bad = cp.manifest('sar-bad.yaml', 'apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n  resourceAttributes:\n    verb: get\n    resource: pods\n');
    const r = await cp.kubectl(['create', '--validate=false', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The SubjectAccessReview "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
    // a user may not ask about others without the right
    const carol = await as('carol', 'create', '--validate=false', '-f', sar('bob', ['devs']));
    expect(carol.stderr).toContain('subjectaccessreviews.authorization.k8s.io is forbidden: User "carol" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope');
  });

  it('a user without the impersonate right is refused; bound to an impersonator role it acts as the other user', async () => {
    expect(await as('carol', 'auth', 'whoami')).toMatchObject({ code: 0, stdout: expect.stringMatching(/Username\s+carol\nGroups\s+\[qa system:authenticated\]\n/) });
    expect(await as('carol', 'auth', 'can-i', 'create', 'pods')).toMatchObject({ code: 1, stdout: 'no\n' });
    const refused = await as('carol', 'get', 'pods', '--as', 'bob');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error from server (Forbidden): users "bob" is forbidden: User "carol" cannot impersonate resource "users" in API group "" at the cluster scope');
    const groupRefused = await as('carol', 'get', 'pods', '--as', 'bob', '--as-group', 'system:masters');
    expect(groupRefused.stderr).toContain('users "bob" is forbidden: User "carol" cannot impersonate resource "users"');

    await cp.k('create', 'clusterrole', 'tk-impersonate-users', '--verb', 'impersonate', '--resource', 'users', '--resource-name', 'bob');
    await cp.k('create', 'clusterrolebinding', 'tk-carol-impersonates', '--clusterrole', 'tk-impersonate-users', '--user', 'carol');
    await eventually(async () => {
      expect((await as('carol', 'auth', 'whoami', '--as', 'bob')).stdout).toMatch(/Username\s+bob\nGroups\s+\[system:authenticated\]\n/);
    }, { timeoutMs: 10_000, intervalMs: 100 });
    // another user, or a group on top, is still refused
    // (whoami reports any 403 as "the selfsubjectreviews API is not enabled"; get shows the refusal)
    expect((await as('carol', 'get', 'pods', '--as', 'dave')).stderr).toContain('users "dave" is forbidden: User "carol" cannot impersonate resource "users" in API group "" at the cluster scope');
    expect((await as('carol', 'get', 'pods', '--as', 'bob', '--as-group', 'system:masters')).stderr)
      .toContain('groups "system:masters" is forbidden: User "carol" cannot impersonate resource "groups" in API group "" at the cluster scope');
  });

  it('auth reconcile creates a Role and RoleBinding, is idempotent, and removes extra permissions when asked', async () => {
    const file = (verbs: string) => cp.manifest(`reconcile-${verbs.replace(/\W/g, '')}.yaml`, [
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata:', '  name: tk-reader', `  namespace: ${NS}`,
      'rules:', '- apiGroups: [""]', '  resources: ["configmaps"]', `  verbs: [${verbs}]`, '---',
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: RoleBinding', 'metadata:', '  name: tk-reader', `  namespace: ${NS}`,
      'roleRef:', '  apiGroup: rbac.authorization.k8s.io', '  kind: Role', '  name: tk-reader',
      'subjects:', '- apiGroup: rbac.authorization.k8s.io', '  kind: User', '  name: erin', '',
    ].join('\n'));
    const reconcile = async (f: string, ...flags: string[]): Promise<Run> => {
      const r = await cp.kubectl(['auth', 'reconcile', '-f', f, ...flags]);
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    const names = 'role.rbac.authorization.k8s.io/tk-reader reconciled\nrolebinding.rbac.authorization.k8s.io/tk-reader reconciled\n';
    const wide = file('"get", "list", "delete"');
    const first = await reconcile(wide);
    expect(first.stdout).toBe(names);
    // kubectl writes what it did to stderr
    expect(first.stderr).toContain('\treconciliation required create\n\tmissing rules added:\n\t\t{Verbs:[get list delete] APIGroups:[] Resources:[configmaps] ResourceNames:[] NonResourceURLs:[]}\n');
    expect(first.stderr).toContain('\treconciliation required create\n\tmissing subjects added:\n\t\t{Kind:User APIGroup:rbac.authorization.k8s.io Name:erin Namespace:}\n');
    await eventually(async () => {
      expect(await cp.k('auth', 'can-i', 'delete', 'configmaps', '--namespace', NS, '--as', 'erin')).toBe('yes\n');
    }, { timeoutMs: 10_000, intervalMs: 100 });
    const rv = await cp.k('get', 'role', 'tk-reader', '--namespace', NS, '-o', 'jsonpath={.metadata.resourceVersion}');
    expect(await reconcile(wide)).toMatchObject({ stdout: names, stderr: '' });

    // fewer verbs: without the flag nothing is taken away, with it the extra verb goes
    const narrow = file('"get", "list"');
    expect(await reconcile(narrow)).toMatchObject({ stdout: names, stderr: '' });
    expect(await cp.k('get', 'role', 'tk-reader', '--namespace', NS, '-o', 'jsonpath={.metadata.resourceVersion}')).toBe(rv);
    const removed = await reconcile(narrow, '--remove-extra-permissions');
    expect(removed.stdout).toBe(names);
    expect(removed.stderr).toBe('\treconciliation required update\n\textra rules removed:\n\t\t{Verbs:[delete] APIGroups:[] Resources:[configmaps] ResourceNames:[] NonResourceURLs:[]}\n');
    expect(await cp.k('get', 'role', 'tk-reader', '--namespace', NS, '-o', 'jsonpath={.rules[*].verbs}')).toBe('["get","list"]');
    await eventually(async () => {
      expect((await cp.kubectl(['auth', 'can-i', 'delete', 'configmaps', '--namespace', NS, '--as', 'erin'])).stdout).toBe('no\n');
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect(await cp.k('auth', 'can-i', 'list', 'configmaps', '--namespace', NS, '--as', 'erin')).toBe('yes\n');
  });

  it('can-i says why not when a binding names a role that does not exist', async () => {
    await cp.k('create', 'rolebinding', 'tk-dangling', '--role', 'tk-missing', '--user', 'frank', '--namespace', NS);
    await eventually(async () => {
      expect(await cp.kubectl(['auth', 'can-i', 'get', 'pods', '--namespace', NS, '--as', 'frank']))
        .toMatchObject({ code: 1, stdout: 'no - RBAC: role.rbac.authorization.k8s.io "tk-missing" not found\n' });
    }, { timeoutMs: 10_000, intervalMs: 100 });
  });

  it('a raw review with neither attribute set is a 422 with causes', async () => {
    const bad = cp.manifest('ssar-bad.yaml', 'apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec: {}\n');
    const r = await cp.kubectl(['create', '--validate=false', '-f', bad]);
    expect(r.stderr).toContain('The SelfSubjectAccessReview "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  });
});
