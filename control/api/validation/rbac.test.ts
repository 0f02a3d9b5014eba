import { describe, expect, it } from 'vitest';
import { validate } from './validate.js';

const fields = (kind: string, o: Record<string, unknown>, old?: Record<string, unknown>) => validate(kind, o, old).map((e) => `${e.field}: ${e.message}`);
const G = 'rbac.authorization.k8s.io';

describe('RBAC validation', () => {
  it('accepts path-segment names with colons', () => {
    expect(fields('ClusterRole', { metadata: { name: 'system:basic-user' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/api'] }] })).toEqual([]);
    expect(fields('ClusterRole', { metadata: { name: 'a/b' } })).toEqual(['metadata.name: Invalid value: "a/b": may not contain \'/\'']);
  });
  it('requires verbs, groups and resources; refuses URLs in Roles and beside resources', () => {
    expect(fields('Role', { metadata: { name: 'r', namespace: 'd' }, rules: [{ resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }] })).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[1].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs',
    ]);
    expect(fields('ClusterRole', { metadata: { name: 'r' }, rules: [{ verbs: ['get'], resources: ['pods'], nonResourceURLs: ['/x'] }] })).toEqual([
      'rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs',
    ]);
  });
  it('checks roleRef and subjects', () => {
    expect(fields('ClusterRoleBinding', {
      metadata: { name: 'b' }, roleRef: { apiGroup: G, kind: 'Role', name: 'x' },
      subjects: [{ kind: 'ServiceAccount', name: 'default' }, { kind: 'User', name: 'u', apiGroup: '' }, { kind: 'Robot', name: 'r' }],
    })).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
      'subjects[1].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
      'subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    expect(fields('RoleBinding', { metadata: { name: 'b', namespace: 'd' }, roleRef: { apiGroup: G, kind: 'Role', name: 'x' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] })).toEqual([]);
  });
  it('keeps roleRef immutable', () => {
    const old = { metadata: { name: 'b', namespace: 'd' }, roleRef: { apiGroup: G, kind: 'Role', name: 'x' } };
    expect(fields('RoleBinding', { ...old, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'x' } }, old)).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"x"}: cannot change roleRef',
    ]);
  });
});
