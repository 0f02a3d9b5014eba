/**
 * Upstream's RBAC rule matching (plugin/pkg/auth/authorizer/rbac RuleAllows and the rbacv1
 * helpers): verbs and API groups match exactly or by `*`; resources by `*`, `resource`,
 * `resource/subresource` or `*\/subresource`; resourceNames, when given, name the object;
 * nonResourceURLs match exactly, by `*`, or as a prefix when they end in `*`.
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';

/** What a request does, as RBAC reads it (upstream authorizer.Attributes). */
export type RbacAttributes =
  | { kind: 'resource'; verb: string; group: string; resource: string; subresource?: string; namespace?: string; name?: string }
  | { kind: 'nonResource'; verb: string; path: string };

const has = (list: readonly string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);

export const verbMatches = (rule: PolicyRule, verb: string): boolean => has(rule.verbs, verb);

export const apiGroupMatches = (rule: PolicyRule, group: string): boolean => has(rule.apiGroups, group);

/** `combined` is `resource` or `resource/subresource`. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string | undefined): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (!subresource) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (name !== undefined && names.includes(name));
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

/** PURE. Whether one rule grants the request. */
export function ruleAllows(a: RbacAttributes, rule: PolicyRule): boolean {
  if (a.kind === 'nonResource') return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path);
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return verbMatches(rule, a.verb) && apiGroupMatches(rule, a.group)
    && resourceMatches(rule, combined, a.subresource) && resourceNameMatches(rule, a.name);
}

/** PURE. Whether any of the rules grants the request (upstream RulesAllow). */
export const rulesAllow = (a: RbacAttributes, rules: readonly PolicyRule[]): boolean => rules.some((r) => ruleAllows(a, r));
