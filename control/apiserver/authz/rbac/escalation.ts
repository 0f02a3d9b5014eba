/**
 * Escalation prevention (upstream pkg/registry/rbac: EscalationAllowed, RoleEscalationAuthorized,
 * BindingAuthorized, ConfirmNoEscalation): a user may write a role only with rules it holds itself
 * (or with `escalate` on it), and a binding only to a role whose rules it holds (or with `bind` on
 * it). The superuser group skips both. Refusals are upstream's 403 text.
 */
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { forbidden } from '../../../api/status.js';
import type { ApiError } from '../../../api/status.js';
import { compactRules, compactString, goQuoteList, uncovered } from './covers.js';
import { rulesFor } from './list-rules.js';
import type { PolicyReader, RbacUser } from './policy-index.js';
import { RBAC_GROUP } from './policy-index.js';
import { rbacAuthorize } from './rbac-authorizer.js';

/** The object being written, for the 403's `<resource>.rbac.authorization.k8s.io "<name>"`. */
export interface Target { resource: string; name: string; namespace: string | undefined }

export const escalationAllowed = (user: RbacUser): boolean => user.groups.includes('system:masters');

/** Whether the user holds `verb` (escalate, bind) on the role named (upstream's authorizer check). */
export function holdsVerbOn(policy: PolicyReader, user: RbacUser, verb: string, ref: { kind: string; name: string }, namespace: string | undefined): boolean {
  const resource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
  return rbacAuthorize(policy, user, {
    kind: 'resource', verb, group: RBAC_GROUP, resource, name: ref.name,
    ...(namespace ? { namespace } : {}), // the writing's namespace: delegation per namespace, as upstream
  }).allowed;
}

/** PURE over the policy. undefined when the user holds every rule in the namespace, the 403 otherwise. */
export function confirmNoEscalation(policy: PolicyReader, user: RbacUser, target: Target, rules: readonly PolicyRule[]): ApiError | undefined {
  const held = rulesFor(policy, user, target.namespace);
  const missing = uncovered(held.rules, rules);
  if (missing.length === 0) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user "${user.name}" (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (held.errors.length > 0) msg += `; resolution errors: [${held.errors.join(' ')}]`;
  return forbidden(`${target.resource}.${RBAC_GROUP} "${target.name}" is forbidden: ${msg}`);
}
