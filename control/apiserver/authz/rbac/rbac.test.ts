import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/object.js';
import { listUserRules } from './list-rules.js';
import { PolicyIndex } from './policy-index.js';
import { rbacAuthorize } from './rbac-authorizer.js';
import { ruleAllows } from './rule-matches.js';
import type { RbacAttributes } from './rule-matches.js';

const res = (verb: string, resource: string, extra: Partial<Extract<RbacAttributes, { kind: 'resource' }>> = {}): RbacAttributes =>
  ({ kind: 'resource', verb, group: '', resource, ...extra });

describe('ruleAllows', () => {
  it('matches verbs, groups and resources exactly or by *', () => {
    expect(ruleAllows(res('get', 'pods'), { verbs: ['get'], apiGroups: [''], resources: ['pods'] })).toBe(true);
    expect(ruleAllows(res('list', 'pods'), { verbs: ['get'], apiGroups: [''], resources: ['pods'] })).toBe(false);
    expect(ruleAllows(res('list', 'pods'), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).toBe(true);
    expect(ruleAllows(res('get', 'pods', { group: 'apps' }), { verbs: ['get'], apiGroups: [''], resources: ['pods'] })).toBe(false);
  });
  it('matches subresources by resource/subresource and */subresource only', () => {
    const rule = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    expect(ruleAllows(res('get', 'pods', { subresource: 'log' }), rule)).toBe(false);
    expect(ruleAllows(res('get', 'pods', { subresource: 'log' }), { ...rule, resources: ['pods/log'] })).toBe(true);
    expect(ruleAllows(res('get', 'pods', { subresource: 'status' }), { ...rule, resources: ['*/status'] })).toBe(true);
    expect(ruleAllows(res('get', 'pods', { subresource: 'log' }), { ...rule, resources: ['*/status'] })).toBe(false);
    expect(ruleAllows(res('get', 'pods'), { ...rule, resources: ['*/status'] })).toBe(false);
  });
  it('limits by resourceNames when given', () => {
    const rule = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] };
    expect(ruleAllows(res('get', 'configmaps', { name: 'a' }), rule)).toBe(true);
    expect(ruleAllows(res('get', 'configmaps', { name: 'b' }), rule)).toBe(false);
    expect(ruleAllows(res('list', 'configmaps'), { ...rule, verbs: ['list'] })).toBe(false);
  });
  it('matches nonResourceURLs exactly or by a trailing *', () => {
    const rule = { verbs: ['get'], nonResourceURLs: ['/api', '/apis/*'] };
    expect(ruleAllows({ kind: 'nonResource', verb: 'get', path: '/api' }, rule)).toBe(true);
    expect(ruleAllows({ kind: 'nonResource', verb: 'get', path: '/api/v1' }, rule)).toBe(false);
    expect(ruleAllows({ kind: 'nonResource', verb: 'get', path: '/apis/apps/v1' }, rule)).toBe(true);
    expect(ruleAllows({ kind: 'nonResource', verb: 'post', path: '/api' }, rule)).toBe(false);
  });
});

const obj = (kind: string, o: Record<string, unknown>): [string, KubeObject] => [kind, { kind, apiVersion: 'rbac.authorization.k8s.io/v1', ...o } as KubeObject];

function index(): PolicyIndex {
  const ix = new PolicyIndex();
  const objs = [
    obj('ClusterRole', { metadata: { name: 'view' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] }),
    obj('Role', { metadata: { name: 'cm', namespace: 'a' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }] }),
    obj('RoleBinding', { metadata: { name: 'b1', namespace: 'a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice' }] }),
    obj('RoleBinding', { metadata: { name: 'b2', namespace: 'a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] }),
    obj('ClusterRoleBinding', { metadata: { name: 'c1' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'gone' }, subjects: [{ kind: 'Group', name: 'devs' }] }),
  ];
  for (const [k, o] of objs) ix.apply(k, o, false);
  return ix;
}

describe('rbacAuthorize', () => {
  it('allows by a RoleBinding only in its namespace', () => {
    const alice = { name: 'alice', groups: ['system:authenticated'] };
    expect(rbacAuthorize(index(), alice, res('list', 'pods', { namespace: 'a' })).allowed).toBe(true);
    expect(rbacAuthorize(index(), alice, res('list', 'pods', { namespace: 'b' })).allowed).toBe(false);
    expect(rbacAuthorize(index(), alice, res('list', 'pods')).allowed).toBe(false);
  });
  it('defaults a ServiceAccount subject to the binding namespace', () => {
    const sa = { name: 'system:serviceaccount:a:default', groups: [] };
    expect(rbacAuthorize(index(), sa, res('get', 'configmaps', { namespace: 'a' })).allowed).toBe(true);
  });
  it('reports bindings to missing roles as the reason', () => {
    const dev = { name: 'bob', groups: ['devs'] };
    expect(rbacAuthorize(index(), dev, res('get', 'pods', { namespace: 'a' }))).toEqual({
      allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
  });
  it('forgets deleted objects', () => {
    const ix = index();
    ix.apply(...obj('RoleBinding', { metadata: { name: 'b1', namespace: 'a' } }), true);
    expect(rbacAuthorize(ix, { name: 'alice', groups: [] }, res('list', 'pods', { namespace: 'a' })).allowed).toBe(false);
  });
});

describe('listUserRules', () => {
  it('lists resource rules and marks missing roles incomplete', () => {
    const out = listUserRules(index(), { name: 'alice', groups: ['devs'] }, 'a');
    expect(out.resourceRules).toEqual([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]);
    expect(out.incomplete).toBe(true);
    expect(out.evaluationError).toBe('clusterrole.rbac.authorization.k8s.io "gone" not found');
  });
});
