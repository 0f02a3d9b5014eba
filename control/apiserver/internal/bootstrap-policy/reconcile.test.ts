import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../testing/test-server.js';
import { silentLogger } from '../../../util/log.js';
import { reconcileBootstrapPolicy, reconcileRole, reconcileSubjects } from './reconcile.js';

const G = 'rbac.authorization.k8s.io';

describe('bootstrap policy reconciliation', () => {
  it('adds missing rules, labels and annotations to a role; nothing when covered', () => {
    const existing = { metadata: { name: 'r', labels: { mine: 'x' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] };
    const expected = { metadata: { name: 'r', labels: { b: 'y' } }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] };
    expect(reconcileRole(existing, expected)).toEqual({
      metadata: { name: 'r', labels: { mine: 'x', b: 'y' }, annotations: {} },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['list'], apiGroups: [''], resources: ['pods'] }],
    });
    expect(reconcileRole({ ...expected, metadata: { ...expected.metadata, annotations: {} } }, expected)).toBeUndefined();
  });
  it('adds missing subjects to a binding', () => {
    const b = { metadata: { name: 'b' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'x' }, subjects: [{ kind: 'Group', name: 'a' }] };
    expect(reconcileSubjects(b, [{ kind: 'Group', name: 'a' }])).toBeUndefined();
    expect(reconcileSubjects(b, [{ kind: 'Group', name: 'c', apiGroup: G }])?.subjects).toHaveLength(2);
  });
  it('creates the policy once, puts back rules removed from an autoupdate role, leaves other roles alone', async () => {
    const s = await startTestServer(); // reconciles at start
    try {
      const url = '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:basic-user';
      const role = (await s.request('GET', url)).body;
      expect(role['rules']).toHaveLength(2);
      expect((await s.request('PUT', url, { ...role, rules: [] })).status).toBe(200);
      const kubeadm = '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-public/roles/kubeadm:bootstrap-signer-clusterinfo';
      const info = (await s.request('GET', kubeadm)).body;
      expect((await s.request('PUT', kubeadm, { ...info, rules: [] })).status).toBe(200);
      await reconcileBootstrapPolicy({ handler: s.handler, log: silentLogger() });
      expect((await s.request('GET', url)).body['rules']).toHaveLength(3); // broken down, as upstream adds them
      expect((await s.request('GET', kubeadm)).body['rules']).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
