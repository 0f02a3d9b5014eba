/**
 * The RBAC objects in memory (upstream's role, binding listers): Roles, ClusterRoles,
 * RoleBindings and ClusterRoleBindings by key, fed by the store's watch (policy-watch.ts) so an
 * authorization costs map lookups, never a store read. Also upstream's rule resolver
 * (VisitRulesFor): the rules of every binding that applies to a user, cluster bindings first.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../../api/object.js';

/** Who asks, as RBAC reads it (upstream user.Info). */
export interface RbacUser { name: string; groups: readonly string[] }

/** Which binding and role a rule came from (upstream's source Stringer), for reviews and errors. */
export interface RuleSource {
  binding: { kind: 'ClusterRoleBinding' | 'RoleBinding'; name: string; namespace?: string };
  role: { kind: string; name: string };
}

/** Called per rule (or per error: a binding to a missing role); return false to stop. */
export type RuleVisitor = (source: RuleSource | undefined, rule: PolicyRule | undefined, err: string | undefined) => boolean;

/** What the authorizer, the escalation checks and the reviews read. */
export interface PolicyReader {
  visitRulesFor(user: RbacUser, namespace: string | undefined, visit: RuleVisitor): void;
  /** The rules a role reference names; undefined plus the upstream NotFound text when it is missing. */
  roleRules(ref: { kind: string; name: string }, namespace: string | undefined): { rules?: readonly PolicyRule[]; err?: string };
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

const nsKey = (ns: string | undefined, name: string | undefined): string => `${ns ?? ''}/${name ?? ''}`;

/** PURE. upstream appliesToUser: a User by name, a Group by membership, a ServiceAccount by its username. */
export function appliesTo(user: RbacUser, s: Subject, namespace: string | undefined): boolean {
  switch (s.kind) {
    case 'User': return user.name === s.name;
    case 'Group': return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      return !!ns && user.name === `system:serviceaccount:${ns}:${s.name}`;
    }
    default: return false;
  }
}

export class PolicyIndex implements PolicyReader {
  private readonly roles = new Map<string, Role>();
  private readonly clusterRoles = new Map<string, ClusterRole>();
  private readonly roleBindings = new Map<string, Map<string, RoleBinding>>();
  private readonly clusterRoleBindings = new Map<string, ClusterRoleBinding>();

  /** Applies a stored object of the kind (upsert) or its deletion. */
  apply(kind: string, obj: KubeObject, deleted: boolean): void {
    const md = obj.metadata ?? {};
    const name = md.name ?? '';
    switch (kind) {
      case 'Role': setOrDelete(this.roles, nsKey(md.namespace, name), obj as unknown as Role, deleted); break;
      case 'ClusterRole': setOrDelete(this.clusterRoles, name, obj as unknown as ClusterRole, deleted); break;
      case 'ClusterRoleBinding': setOrDelete(this.clusterRoleBindings, name, obj as unknown as ClusterRoleBinding, deleted); break;
      case 'RoleBinding': {
        const ns = md.namespace ?? '';
        let m = this.roleBindings.get(ns);
        if (!m) this.roleBindings.set(ns, (m = new Map()));
        setOrDelete(m, name, obj as unknown as RoleBinding, deleted);
        if (m.size === 0) this.roleBindings.delete(ns);
        break;
      }
      default: break;
    }
  }

  /** How many RBAC objects it holds. */
  get size(): number {
    let bindings = 0;
    for (const m of this.roleBindings.values()) bindings += m.size;
    return this.roles.size + this.clusterRoles.size + this.clusterRoleBindings.size + bindings;
  }

  /** Forgets every object of a kind (before a relist). */
  clear(kind: string): void {
    if (kind === 'Role') this.roles.clear();
    else if (kind === 'ClusterRole') this.clusterRoles.clear();
    else if (kind === 'RoleBinding') this.roleBindings.clear();
    else if (kind === 'ClusterRoleBinding') this.clusterRoleBindings.clear();
  }

  roleRules(ref: { kind: string; name: string }, namespace: string | undefined): { rules?: readonly PolicyRule[]; err?: string } {
    if (ref.kind === 'ClusterRole') {
      const cr = this.clusterRoles.get(ref.name);
      return cr ? { rules: cr.rules ?? [] } : { err: `clusterrole.${RBAC_GROUP} "${ref.name}" not found` };
    }
    if (ref.kind === 'Role' && namespace) {
      const r = this.roles.get(nsKey(namespace, ref.name));
      return r ? { rules: r.rules ?? [] } : { err: `role.${RBAC_GROUP} "${ref.name}" not found` };
    }
    return { err: `unsupported role reference kind: "${ref.kind}"` };
  }

  visitRulesFor(user: RbacUser, namespace: string | undefined, visit: RuleVisitor): void {
    for (const b of this.clusterRoleBindings.values()) {
      if (!(b.subjects ?? []).some((s) => appliesTo(user, s, ''))) continue;
      const source: RuleSource = { binding: { kind: 'ClusterRoleBinding', name: b.metadata?.name ?? '' }, role: b.roleRef };
      if (!this.visitRole(source, undefined, visit)) return;
    }
    if (!namespace) return;
    for (const b of this.roleBindings.get(namespace)?.values() ?? []) {
      if (!(b.subjects ?? []).some((s) => appliesTo(user, s, namespace))) continue;
      const source: RuleSource = { binding: { kind: 'RoleBinding', name: b.metadata?.name ?? '', namespace }, role: b.roleRef };
      if (!this.visitRole(source, namespace, visit)) return;
    }
  }

  private visitRole(source: RuleSource, namespace: string | undefined, visit: RuleVisitor): boolean {
    const { rules, err } = this.roleRules(source.role, namespace);
    if (err !== undefined) return visit(undefined, undefined, err);
    for (const rule of rules ?? []) if (!visit(source, rule, undefined)) return false;
    return true;
  }
}

function setOrDelete<T>(m: Map<string, T>, key: string, v: T, deleted: boolean): void {
  if (deleted) m.delete(key);
  else m.set(key, v);
}
