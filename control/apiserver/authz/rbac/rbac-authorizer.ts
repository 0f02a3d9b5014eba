/**
 * The RBAC authorizer (upstream plugin/pkg/auth/authorizer/rbac): allowed when a rule of a
 * binding that applies to the user grants the request; otherwise no opinion, with the reason
 * `RBAC: <errors>` when bindings named missing roles ('' when none did).
 */
import type { PolicyReader, RbacUser } from './policy-index.js';
import { aggregateErrors } from './list-rules.js';
import { ruleAllows } from './rule-matches.js';
import type { RbacAttributes } from './rule-matches.js';

export interface RbacDecision { allowed: boolean; reason: string }

/** PURE over the policy. */
export function rbacAuthorize(policy: PolicyReader, user: RbacUser, a: RbacAttributes): RbacDecision {
  let allowed = false;
  const errors: string[] = [];
  policy.visitRulesFor(user, a.kind === 'resource' ? a.namespace : undefined, (_source, rule, err) => {
    if (err !== undefined) errors.push(err);
    if (rule && ruleAllows(a, rule)) allowed = true;
    return !allowed;
  });
  if (allowed) return { allowed, reason: '' };
  return { allowed, reason: errors.length > 0 ? `RBAC: ${aggregateErrors(errors)}` : '' };
}
