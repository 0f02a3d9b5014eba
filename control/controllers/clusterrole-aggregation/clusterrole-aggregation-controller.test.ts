import { describe, expect, it } from 'vitest';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../api/object.js';
import { aggregatedRules } from './clusterrole-aggregation-controller.js';

type Cr = ClusterRole & KubeObject;
const cr = (name: string, labels: Record<string, string>, rules: ClusterRole['rules'], agg?: string): Cr => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules,
  ...(agg ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [agg]: 'true' } }] } } : {}),
});

describe('aggregatedRules', () => {
  it('gathers the rules of matching roles by name, each once, never its own', () => {
    const get = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    const list = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
    const target = cr('view', { 'to-view': 'true' }, [{ verbs: ['old'], apiGroups: [''], resources: ['x'] }], 'to-view');
    const all = [target, cr('b', { 'to-view': 'true' }, [list, get]), cr('a', { 'to-view': 'true' }, [get]), cr('c', {}, [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }])];
    expect(aggregatedRules(target, all)).toEqual([get, list]);
  });
});
