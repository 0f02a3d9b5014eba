/**
 * ClusterRole aggregation (upstream pkg/controller/clusterroleaggregation,
 * "clusterrole-aggregation"): a ClusterRole with an aggregationRule gets as its rules the rules of
 * every other ClusterRole its selectors match (selector by selector, roles by name, each rule
 * once). Any ClusterRole's change looks at every aggregated one again; it writes only on a
 * difference. NotFound is done.
 */
import type { ClusterRole, PolicyRule } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { deepEqual } from '../../api/validation/obj.js';
import { selectorMatches } from '../../api/validation/meta.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, Reconciler } from '../controller.js';

const CLUSTER_ROLES = findResource('rbac.authorization.k8s.io', 'v1', 'clusterroles')!;

type Cr = ClusterRole & KubeObject;

/** PURE. The rules an aggregated ClusterRole should have, from all ClusterRoles. */
export function aggregatedRules(role: Cr, all: readonly Cr[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const byName = [...all].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    for (const other of byName) {
      if (other.metadata?.name === role.metadata?.name || !selectorMatches(selector, other.metadata?.labels)) continue;
      for (const r of other.rules ?? []) if (!rules.some((have) => deepEqual(have, r))) rules.push(r);
    }
  }
  return rules;
}

class Aggregator implements Reconciler {
  constructor(private readonly ctx: ControllerContext, private readonly roles: Informer<Cr>) {}

  async reconcile(key: ObjectKey): Promise<void> {
    const role = this.roles.cache.get(key);
    if (!role?.aggregationRule) return;
    const rules = aggregatedRules(role, this.roles.cache.list());
    if (deepEqual(rules, role.rules ?? [])) return;
    try {
      await this.ctx.client.update(CLUSTER_ROLES, { ...structuredClone(role), rules });
      this.ctx.log.info({ clusterRole: key, rules: rules.length }, 'Aggregated ClusterRole rules');
    } catch (err) {
      if (isApiError(err) && err.code === 404) return;
      // a Conflict: the cache is behind; the informer's event brings the key back
      throw new Error(`aggregate clusterrole ${key}`, { cause: err });
    }
  }
}

export function createClusterRoleAggregationController(ctx: ControllerContext): Runnable {
  const roles = ctx.informers.for<Cr>(CLUSTER_ROLES);
  const aggregated = (): ObjectKey[] => roles.cache.list().filter((r) => r.aggregationRule).map((r) => r.metadata?.name ?? '');
  const controller = new Controller({
    name: 'clusterrole-aggregation', workers: 1, log: ctx.log, reconciler: new Aggregator(ctx, roles),
    watches: [{ informer: roles as Informer<KubeObject>, toKeys: aggregated }],
  });
  return { run: (signal) => controller.run(signal) };
}
