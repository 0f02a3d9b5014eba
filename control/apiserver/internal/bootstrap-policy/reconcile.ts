/**
 * Reconciles the bootstrap policy at every start, as upstream's RBAC post-start hook: missing
 * roles and bindings are created; existing ones annotated rbac.authorization.kubernetes.io/
 * autoupdate=true get the labels, annotations and rules (an aggregated ClusterRole: selectors)
 * they lack, and bindings the subjects they lack (a changed roleRef: deleted and created anew).
 * Anything else is the administrator's and stays as it is. An API server internal: it writes
 * through the handler as the server itself.
 */
import type { Logger } from 'pino';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Subject } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { findResource } from '../../../api/resources.js';
import { isApiError } from '../../../api/status.js';
import type { ResourceInfo } from '../../../api/resources.js';
import { deepEqual } from '../../../api/validation/obj.js';
import { uncovered } from '../../authz/rbac/covers.js';
import type { ResourceHandler, Scope } from '../../registry/resource-handler.js';
import { CLUSTER_ROLE_BINDINGS, NAMESPACED_ROLES, ROLE_BINDINGS } from './bindings.js';
import type { BootstrapBinding } from './bindings.js';
import { CLUSTER_ROLES } from './cluster-roles.js';
import { AUTOUPDATE_ANNOTATION, BOOTSTRAP_LABELS } from './rules.js';

const G = 'rbac.authorization.k8s.io';
const ri = (resource: string): ResourceInfo => findResource(G, 'v1', resource) as ResourceInfo;

type RoleObject = KubeObject & Pick<ClusterRole, 'rules' | 'aggregationRule'>;
type BindingObject = KubeObject & Pick<ClusterRoleBinding, 'roleRef' | 'subjects'>;

const scopeOf = (r: ResourceInfo, namespace?: string, name?: string): Scope =>
  ({ ri: r, namespace, name, dryRun: false, fieldValidation: 'Ignore', warnings: [] });

function meta(name: string, namespace: string | undefined, labels: Record<string, string> | undefined, autoupdate: boolean): KubeObject['metadata'] {
  return {
    name, ...(namespace ? { namespace } : {}),
    labels: { ...(labels ?? {}), ...BOOTSTRAP_LABELS },
    ...(autoupdate ? { annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } } : {}),
  };
}

/** PURE. The existing role with what the expected one adds, or undefined when nothing is missing. */
export function reconcileRole(existing: RoleObject, expected: RoleObject): RoleObject | undefined {
  const next = structuredClone(existing);
  const md = next.metadata ?? {};
  md.labels = { ...(expected.metadata?.labels ?? {}), ...(md.labels ?? {}) };
  md.annotations = { ...(expected.metadata?.annotations ?? {}), ...(md.annotations ?? {}) };
  next.metadata = md;
  if (expected.aggregationRule) {
    const have = next.aggregationRule?.clusterRoleSelectors ?? [];
    const add = (expected.aggregationRule.clusterRoleSelectors ?? []).filter((s) => !have.some((h) => deepEqual(h, s)));
    next.aggregationRule = { clusterRoleSelectors: [...have, ...add] };
  } else {
    const missing: PolicyRule[] = uncovered(next.rules ?? [], expected.rules ?? []);
    if (missing.length > 0) next.rules = [...(next.rules ?? []), ...missing];
  }
  return deepEqual(next, existing) ? undefined : next;
}

/** PURE. The existing binding with the subjects it lacks, or undefined when none are missing. */
export function reconcileSubjects(existing: BindingObject, expected: Subject[]): BindingObject | undefined {
  const have = existing.subjects ?? [];
  const add = expected.filter((s) => !have.some((h) => h.kind === s.kind && h.name === s.name && (h.namespace ?? '') === (s.namespace ?? '')));
  return add.length === 0 ? undefined : { ...existing, subjects: [...have, ...add] };
}

/** Another server starting beside this one may have created it first. */
async function create(h: ResourceHandler, r: ResourceInfo, obj: KubeObject): Promise<void> {
  try {
    await h.create(scopeOf(r, obj.metadata?.namespace), obj);
  } catch (err) {
    if (!(isApiError(err) && err.reason === 'AlreadyExists')) throw err;
  }
}

const autoupdates = (o: KubeObject): boolean => o.metadata?.annotations?.[AUTOUPDATE_ANNOTATION] === 'true';

async function ensureRole(h: ResourceHandler, r: ResourceInfo, expected: RoleObject): Promise<void> {
  const md = expected.metadata ?? {};
  const existing = await h.objects.tryGet(r, md.namespace, md.name ?? '') as RoleObject | undefined;
  if (!existing) { await create(h, r, expected); return; }
  if (!autoupdates(existing)) return;
  const next = reconcileRole(existing, expected);
  if (next) await h.update(scopeOf(r, md.namespace, md.name), () => next);
}

async function ensureBinding(h: ResourceHandler, r: ResourceInfo, expected: BindingObject): Promise<void> {
  const md = expected.metadata ?? {};
  const existing = await h.objects.tryGet(r, md.namespace, md.name ?? '') as BindingObject | undefined;
  if (!existing) { await create(h, r, expected); return; }
  if (!autoupdates(existing)) return;
  if (!deepEqual(existing.roleRef, expected.roleRef)) { // roleRef is immutable: a new binding
    await h.objects.delete(r, md.namespace, md.name ?? '');
    await create(h, r, { ...expected, subjects: [...(existing.subjects ?? []), ...(expected.subjects ?? [])] });
    return;
  }
  const next = reconcileSubjects(existing, expected.subjects ?? []);
  if (next) await h.update(scopeOf(r, md.namespace, md.name), () => next);
}

function binding(b: BootstrapBinding): BindingObject {
  return {
    apiVersion: `${G}/v1`, kind: b.namespace ? 'RoleBinding' : 'ClusterRoleBinding', metadata: meta(b.name, b.namespace, undefined, b.autoupdate),
    roleRef: { apiGroup: G, kind: b.roleKind, name: b.role }, subjects: b.subjects,
  };
}

/** PURE. Every object of the bootstrap policy, roles before the bindings that name them. */
export function bootstrapPolicyObjects(): { ri: ResourceInfo; obj: KubeObject }[] {
  return [
    ...CLUSTER_ROLES.map((c) => ({
      ri: ri('clusterroles'),
      obj: { apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: meta(c.name, undefined, c.labels, true), rules: c.rules, ...(c.aggregationRule ? { aggregationRule: c.aggregationRule } : {}) },
    })),
    ...CLUSTER_ROLE_BINDINGS.map((b) => ({ ri: ri('clusterrolebindings'), obj: binding(b) })),
    ...NAMESPACED_ROLES.map((r) => ({ ri: ri('roles'), obj: { apiVersion: `${G}/v1`, kind: 'Role', metadata: meta(r.name, r.namespace, undefined, false), rules: r.rules } })),
    ...ROLE_BINDINGS.map((b) => ({ ri: ri('rolebindings'), obj: binding(b) })),
  ];
}

export async function reconcileBootstrapPolicy(o: { handler: ResourceHandler; log: Logger }): Promise<void> {
  const objects = bootstrapPolicyObjects();
  for (const { ri: r, obj } of objects) {
    if (r.resource.endsWith('bindings')) await ensureBinding(o.handler, r, obj as BindingObject);
    else await ensureRole(o.handler, r, obj as RoleObject);
  }
  o.log.debug({ objects: objects.length }, 'Reconciled the bootstrap RBAC policy');
}
