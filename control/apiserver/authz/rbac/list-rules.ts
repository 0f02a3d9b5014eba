/**
 * The rules that apply to a user in a namespace, as SelfSubjectRulesReview reports them
 * (upstream RBAC RulesFor + the review's conversion): resource rules from rules with resources,
 * non-resource rules from rules with nonResourceURLs; `incomplete` with the evaluation error when
 * a binding names a role that does not exist.
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import type { PolicyReader, RbacUser } from './policy-index.js';

/** authorization/v1 ResourceRule (kubernetes-types lacks verbs and resources). */
export interface ResourceRule { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }

/** authorization/v1 NonResourceRule. */
export interface NonResourceRule { verbs: string[]; nonResourceURLs?: string[] }

export interface UserRules {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  /** The errors met, joined as upstream's aggregate prints them; absent when complete. */
  evaluationError?: string;
}

/** Every rule bound to the user (cluster bindings, then the namespace's), with the errors met. */
export function rulesFor(policy: PolicyReader, user: RbacUser, namespace: string | undefined): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  policy.visitRulesFor(user, namespace, (_source, rule, err) => {
    if (rule) rules.push(rule);
    if (err !== undefined) errors.push(err);
    return true;
  });
  return { rules, errors };
}

/** upstream utilerrors.NewAggregate(...).Error(): one error as is, several in brackets. */
export const aggregateErrors = (errors: readonly string[]): string =>
  errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;

/** PURE over the policy. The user's rules in the namespace ('' or undefined: cluster scope only). */
export function listUserRules(policy: PolicyReader, user: RbacUser, namespace: string | undefined): UserRules {
  const { rules, errors } = rulesFor(policy, user, namespace || undefined);
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  for (const r of rules) {
    if ((r.resources ?? []).length > 0) {
      resourceRules.push({
        verbs: [...r.verbs],
        ...(r.apiGroups?.length ? { apiGroups: [...r.apiGroups] } : {}),
        resources: [...(r.resources ?? [])],
        ...(r.resourceNames?.length ? { resourceNames: [...r.resourceNames] } : {}),
      });
    }
    if ((r.nonResourceURLs ?? []).length > 0) nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...(r.nonResourceURLs ?? [])] });
  }
  return {
    resourceRules, nonResourceRules, incomplete: errors.length > 0,
    ...(errors.length > 0 ? { evaluationError: aggregateErrors(errors) } : {}),
  };
}
