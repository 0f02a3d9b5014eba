/** Rule builders for the bootstrap policy (upstream rbacv1helpers.NewRule, kept in the order given). */
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';

export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const READ_WRITE = [...READ, ...WRITE];

/** A resource rule; `names` limits it to those objects. */
export function rule(verbs: readonly string[], groups: readonly string[], resources: readonly string[], names?: readonly string[]): PolicyRule {
  return { verbs: [...verbs], apiGroups: [...groups], resources: [...resources], ...(names ? { resourceNames: [...names] } : {}) };
}

/** A non-resource rule. */
export const urls = (verbs: readonly string[], paths: readonly string[]): PolicyRule => ({ verbs: [...verbs], nonResourceURLs: [...paths] });

/** upstream eventsRule(). */
export const eventsRule = (): PolicyRule => rule(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);

export const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
export const AGGREGATE_TO = (role: 'admin' | 'edit' | 'view'): string => `rbac.authorization.k8s.io/aggregate-to-${role}`;
