import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/object.js';
import { compactRules, compactString, ruleCovers, uncovered } from './covers.js';
import { confirmNoEscalation, holdsVerbOn } from './escalation.js';
import { PolicyIndex } from './policy-index.js';

const G = 'rbac.authorization.k8s.io';

describe('covers', () => {
  it('breaks rules down and finds what the owner lacks', () => {
    const owner = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/status'] }, { verbs: ['get'], nonResourceURLs: ['/logs/*'] }];
    expect(uncovered(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'pods/status'] }])).toEqual([]);
    expect(uncovered(owner, [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }]))
      .toEqual([{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }]);
    expect(uncovered(owner, [{ verbs: ['get'], nonResourceURLs: ['/logs/a', '/metrics'] }])).toEqual([{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]);
  });
  it('names cover only named rules; a named owner never covers an unnamed request', () => {
    const named = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] };
    expect(ruleCovers(named, { ...named })).toBe(true);
    expect(ruleCovers(named, { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] })).toBe(false);
    expect(ruleCovers({ ...named, resourceNames: [] }, named)).toBe(true);
  });
  it('compacts simple rules by group and resource, and prints them as upstream', () => {
    const rules = compactRules([
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], nonResourceURLs: ['/x'] },
    ]);
    expect(rules.map(compactString)).toEqual(['{NonResourceURLs:["/x"], Verbs:["get"]}', '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}']);
  });
});

function policy(): PolicyIndex {
  const ix = new PolicyIndex();
  ix.apply('ClusterRole', { metadata: { name: 'pods' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] } as KubeObject, false);
  ix.apply('ClusterRole', { metadata: { name: 'binder' }, rules: [{ verbs: ['bind'], apiGroups: [G], resources: ['clusterroles'], resourceNames: ['cluster-admin'] }] } as KubeObject, false);
  ix.apply('RoleBinding', {
    metadata: { name: 'b', namespace: 'ns' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'pods' }, subjects: [{ kind: 'User', name: 'u' }],
  } as KubeObject, false);
  ix.apply('RoleBinding', {
    metadata: { name: 'c', namespace: 'ns' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'binder' }, subjects: [{ kind: 'User', name: 'b' }],
  } as KubeObject, false);
  return ix;
}

describe('confirmNoEscalation', () => {
  const u = { name: 'u', groups: ['system:authenticated'] };
  it('allows rules the user holds in the namespace', () => {
    expect(confirmNoEscalation(policy(), u, { resource: 'roles', name: 'r', namespace: 'ns' }, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])).toBeUndefined();
  });
  it('refuses the rest with upstream\'s text, and everything outside the namespace', () => {
    const err = confirmNoEscalation(policy(), u, { resource: 'roles', name: 'r', namespace: 'ns' }, [{ verbs: ['get', 'delete'], apiGroups: ['', 'apps'], resources: ['pods'] }]);
    expect(err?.status.code).toBe(403);
    expect(err?.status.message).toBe('roles.rbac.authorization.k8s.io "r" is forbidden: user "u" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n'
      + '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:["apps"], Resources:["pods"], Verbs:["get" "delete"]}');
    expect(confirmNoEscalation(policy(), u, { resource: 'roles', name: 'r', namespace: 'other' }, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])?.status.code).toBe(403);
  });
  it('bind on a named role lets a user bind it where granted', () => {
    const b = { name: 'b', groups: [] };
    expect(holdsVerbOn(policy(), b, 'bind', { kind: 'ClusterRole', name: 'cluster-admin' }, 'ns')).toBe(true);
    expect(holdsVerbOn(policy(), b, 'bind', { kind: 'ClusterRole', name: 'cluster-admin' }, 'other')).toBe(false);
    expect(holdsVerbOn(policy(), b, 'bind', { kind: 'ClusterRole', name: 'admin' }, 'ns')).toBe(false);
  });
});
