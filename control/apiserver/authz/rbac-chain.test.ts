import { describe, expect, it } from 'vitest';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../api/object.js';
import { aggregatedRules } from '../../controllers/clusterrole-aggregation/clusterrole-aggregation-controller.js';
import { bootstrapPolicyObjects } from '../internal/bootstrap-policy/reconcile.js';
import { parseRequestInfo } from '../http/request-info.js';
import { createAuthorizer } from './authorizer.js';
import { PolicyIndex } from './rbac/policy-index.js';

type Cr = ClusterRole & KubeObject;

/** The bootstrap policy with admin/edit/view aggregated, plus what a test adds. */
function policy(extra: [string, KubeObject][] = []): PolicyIndex {
  const ix = new PolicyIndex();
  const objs = bootstrapPolicyObjects();
  const roles = objs.filter((o) => o.ri.kind === 'ClusterRole').map((o) => o.obj as Cr);
  for (let i = 0; i < 3; i++) for (const r of roles) if (r.aggregationRule) r.rules = aggregatedRules(r, roles); // view -> edit -> admin
  for (const { ri, obj } of objs) ix.apply(ri.kind, obj, false);
  for (const [kind, obj] of extra) ix.apply(kind, obj, false);
  return ix;
}

const lookup = { pods: async () => [], pod: async () => undefined, node: async () => undefined };
const authz = (ix = policy()) => createAuthorizer({ lookup, policy: ix, synced: Promise.resolve() });
const bootstrap = { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:tinykube:default-node-token', 'system:authenticated'] };
const jane = { name: 'jane', groups: ['system:authenticated'] };
const anonymous = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
const may = async (user: typeof jane, method: string, url: string, ix?: PolicyIndex) => (await authz(ix).authorize(user, parseRequestInfo(method, url)))?.status;

describe('the Node,RBAC authorizer over the bootstrap policy', () => {
  it('a bootstrap token may create and read CSRs and discovery, nothing else', async () => {
    expect(await may(bootstrap, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests')).toBeUndefined();
    expect(await may(bootstrap, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/node-csr-x?watch=1')).toBeUndefined();
    expect((await may(bootstrap, 'GET', '/api/v1/namespaces/default/pods'))?.message)
      .toBe('pods is forbidden: User "system:bootstrap:abcdef" cannot list resource "pods" in API group "" in the namespace "default"');
    expect((await may(bootstrap, 'PUT', '/apis/certificates.k8s.io/v1/certificatesigningrequests/x/approval'))?.message)
      .toBe('certificatesigningrequests.certificates.k8s.io "x" is forbidden: User "system:bootstrap:abcdef" cannot update resource "certificatesigningrequests/approval" in API group "certificates.k8s.io" at the cluster scope');
    for (const path of ['/api', '/api/v1', '/apis/apps/v1', '/openapi/v3', '/version', '/healthz', '/livez', '/readyz']) expect(await may(bootstrap, 'GET', path), path).toBeUndefined();
    expect((await may(bootstrap, 'GET', '/metrics'))?.message).toBe('forbidden: User "system:bootstrap:abcdef" cannot get path "/metrics"');
    expect((await may(bootstrap, 'POST', '/version'))?.code).toBe(403);
  });

  it('an authenticated user gets only discovery and the self reviews until bound', async () => {
    expect((await may(jane, 'GET', '/api/v1/namespaces/default/pods'))?.code).toBe(403);
    expect(await may(jane, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).toBeUndefined();
    expect((await may(jane, 'GET', '/api//v1/secrets'))?.message).toBe('forbidden: User "jane" cannot get path "/api//v1/secrets"');
  });

  it('view in a namespace reads pods there, never secrets', async () => {
    const ix = policy([['RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'v', namespace: 'team' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
    } as KubeObject]]);
    expect(await may(jane, 'GET', '/api/v1/namespaces/team/pods', ix)).toBeUndefined();
    expect(await may(jane, 'GET', '/apis/apps/v1/namespaces/team/deployments/d', ix)).toBeUndefined();
    expect((await may(jane, 'GET', '/api/v1/namespaces/team/secrets', ix))?.code).toBe(403);
    expect((await may(jane, 'GET', '/api/v1/namespaces/other/pods', ix))?.code).toBe(403);
  });

  it('anonymous reads cluster-info, health and /version, nothing else', async () => {
    expect(await may(anonymous, 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info')).toBeUndefined();
    expect((await may(anonymous, 'GET', '/api/v1/namespaces/kube-public/configmaps/other'))?.code).toBe(403);
    for (const path of ['/healthz', '/livez', '/readyz', '/version']) expect(await may(anonymous, 'GET', path), path).toBeUndefined();
    expect((await may(anonymous, 'GET', '/api'))?.message).toBe('forbidden: User "system:anonymous" cannot get path "/api"');
  });

  it('system:masters is the superuser; a node keeps the Node authorizer\'s reason', async () => {
    expect(await may({ name: 'a', groups: ['system:masters'] }, 'DELETE', '/api/v1/nodes/n1')).toBeUndefined();
    const node = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
    expect(await may(node, 'GET', '/api/v1/nodes/n2')).toBeUndefined();
    expect((await may(node, 'GET', '/api/v1/namespaces/default/secrets/s'))?.message)
      .toBe('secrets "s" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node \'n1\' and this object');
  });
});
