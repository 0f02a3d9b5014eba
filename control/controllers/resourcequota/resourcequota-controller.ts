/**
 * Resource-quota controller (upstream pkg/controller/resourcequota, "resourcequota"): keeps
 * status.hard equal to spec.hard and status.used equal to what the namespace holds. One key per
 * quota; a change to a quota, or to any counted object of its namespace, recalculates every quota
 * there, and each quota is looked at again on a resync. Reads counted kinds from shared caches
 * (others from the API), writes only when the status differs.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { RESOURCES, findResource, isCreateOnly } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { deepEqual } from '../../api/validation/obj.js';
import { Controller } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { calculateQuotaStatus, quotaTracks, type ResourceObjects } from './quota-usage-calculator.js';

const QUOTAS = findResource('', 'v1', 'resourcequotas')!;
/** The kinds watched for prompt recalculation (upstream's replenishment controllers and the conformance specs' kinds). */
const WATCHED: ReadonlyArray<[string, string]> = [
  ['', 'pods'], ['', 'services'], ['', 'secrets'], ['', 'configmaps'], ['', 'replicationcontrollers'], ['apps', 'replicasets'],
];
/** upstream's --resource-quota-sync-period is 5m; tinykube looks again sooner. */
export const QUOTA_RESYNC_MS = 30_000;

type Quota = ResourceQuota & KubeObject;

class ResourceQuotaReconciler implements Reconciler {
  constructor(private readonly ctx: ControllerContext, private readonly quotas: Informer<Quota>,
    private readonly caches: ReadonlyMap<ResourceInfo, Informer<KubeObject>>) {}

  private async objectsOf(ri: ResourceInfo, namespace: string): Promise<readonly KubeObject[]> {
    const inf = this.caches.get(ri);
    if (inf) return inf.cache.list(namespace);
    return (await this.ctx.client.list(ri, namespace)).items;
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const cached = this.quotas.cache.get(key);
    if (!cached) return;
    const namespace = cached.metadata?.namespace ?? '';
    const objects: ResourceObjects[] = [];
    for (const ri of RESOURCES) {
      if (!ri.namespaced || isCreateOnly(ri) || ri.group === 'events.k8s.io') continue;
      if (!quotaTracks(cached, ri.group, ri.resource)) continue;
      const items = ri === QUOTAS ? this.quotas.cache.list(namespace) : await this.objectsOf(ri, namespace);
      objects.push({ group: ri.group, resource: ri.resource, items });
    }
    const status = calculateQuotaStatus(cached, objects, this.ctx.clock.now());
    if (deepEqual(status, cached.status ?? {})) return { requeueAfterMs: QUOTA_RESYNC_MS };
    try {
      await this.ctx.client.update(QUOTAS, { ...structuredClone(cached), status }, { subresource: 'status' });
      this.ctx.log.debug({ quota: key, used: status.used }, 'Updated quota usage');
    } catch (err) {
      if (isApiError(err) && err.reason === 'NotFound') return;
      throw new Error(`update status of resourcequota ${key}`, { cause: err });
    }
    return { requeueAfterMs: QUOTA_RESYNC_MS };
  }
}

export function createResourceQuotaController(ctx: ControllerContext): Runnable {
  const quotas = ctx.informers.for<Quota>(QUOTAS);
  const caches = new Map<ResourceInfo, Informer<KubeObject>>();
  for (const [group, resource] of WATCHED) {
    const ri = RESOURCES.find((r) => r.group === group && r.resource === resource);
    if (ri) caches.set(ri, ctx.informers.for(ri));
  }
  const reconciler = new ResourceQuotaReconciler(ctx, quotas, caches);
  const keyOf = (o: KubeObject): ObjectKey => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  /** Every quota of the object's namespace. */
  const quotasOfNamespace = (o: KubeObject): ObjectKey[] =>
    (o.metadata?.namespace ? quotas.cache.list(o.metadata.namespace).map(keyOf) : []);
  const controller = new Controller({
    name: 'resourcequota', workers: 2, log: ctx.log, reconciler,
    watches: [
      // a new or deleted quota changes the resourcequotas count of its neighbours too
      { informer: quotas as Informer<KubeObject>, toKeys: (o) => [keyOf(o), ...quotasOfNamespace(o)] },
      ...[...caches.values()].map((informer) => ({ informer, toKeys: quotasOfNamespace })),
    ],
  });
  return { run: (signal) => controller.run(signal) };
}
