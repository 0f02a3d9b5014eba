/**
 * Strategies of the four RBAC kinds (upstream pkg/registry/rbac/*\/policybased): v1 defaults, then
 * escalation prevention before validation. A Role or ClusterRole may carry only rules its writer
 * holds in that namespace, unless the writer may `escalate` it (an aggregated ClusterRole's rules
 * are the controller's, so it is not checked); a binding only a role whose rules the writer
 * holds, unless the writer may `bind` it; a binding to a missing role is then a 404. The
 * superuser group and the server's own writes skip both.
 */
import type { PolicyRule, RoleRef } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { notFound } from '../../../api/status.js';
import { deepEqual } from '../../../api/validation/obj.js';
import { defaultRbac } from '../../../api/validation/rbac.js';
import { confirmNoEscalation, escalationAllowed, holdsVerbOn } from '../../authz/rbac/escalation.js';
import type { PolicyReader } from '../../authz/rbac/policy-index.js';
import { RBAC_GROUP } from '../../authz/rbac/policy-index.js';
import type { Strategy, StrategyContext } from '../strategy.js';

type RbacObject = KubeObject & { rules?: PolicyRule[]; aggregationRule?: unknown; roleRef?: RoleRef; subjects?: unknown[] };

function checkRole(policy: PolicyReader, obj: RbacObject, ctx: StrategyContext): void {
  const user = ctx.user;
  if (!user || escalationAllowed(user) || obj.aggregationRule) return;
  const kind = ctx.ri.kind;
  const name = obj.metadata?.name ?? '';
  const namespace = obj.metadata?.namespace;
  if (holdsVerbOn(policy, user, 'escalate', { kind, name }, namespace)) return;
  const denied = confirmNoEscalation(policy, user, { resource: ctx.ri.resource, name, namespace }, obj.rules ?? []);
  if (denied) throw denied;
}

function checkBinding(policy: PolicyReader, obj: RbacObject, ctx: StrategyContext): void {
  const user = ctx.user;
  const ref = obj.roleRef;
  if (!user || escalationAllowed(user) || !ref || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole')) return; // a bad roleRef: validation's 422
  const namespace = obj.metadata?.namespace;
  if (holdsVerbOn(policy, user, 'bind', ref, namespace)) return;
  const { rules } = policy.roleRules(ref, namespace);
  if (!rules) throw notFound({ group: RBAC_GROUP, resource: ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles' }, ref.name);
  const denied = confirmNoEscalation(policy, user, { resource: ctx.ri.resource, name: obj.metadata?.name ?? '', namespace }, rules);
  if (denied) throw denied;
}

function roleStrategy(policy: PolicyReader): Strategy {
  return {
    prepareForCreate(obj, ctx) { checkRole(policy, obj as RbacObject, ctx); },
    prepareForUpdate(obj, old, ctx) {
      if (deepEqual((obj as RbacObject).rules ?? [], (old as RbacObject).rules ?? [])) return; // upstream: same rules, no check
      checkRole(policy, obj as RbacObject, ctx);
    },
  };
}

function bindingStrategy(policy: PolicyReader): Strategy {
  return {
    prepareForCreate(obj, ctx) {
      defaultRbac(obj);
      checkBinding(policy, obj as RbacObject, ctx);
    },
    prepareForUpdate(obj, old, ctx) {
      defaultRbac(obj);
      const b = obj as RbacObject;
      const o = old as RbacObject;
      if (deepEqual(b.roleRef, o.roleRef) && deepEqual(b.subjects ?? [], o.subjects ?? [])) return; // metadata only (upstream: GC fields)
      checkBinding(policy, b, ctx);
    },
  };
}

/** Strategies by kind, reading the policy the authorizer reads. */
export function rbacStrategies(policy: PolicyReader): Record<string, Strategy> {
  const roles = roleStrategy(policy);
  const bindings = bindingStrategy(policy);
  return { Role: roles, ClusterRole: roles, RoleBinding: bindings, ClusterRoleBinding: bindings };
}
