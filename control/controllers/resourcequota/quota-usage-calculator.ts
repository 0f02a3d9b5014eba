/**
 * The status a ResourceQuota should have, from the objects of its namespace (upstream's
 * CalculateUsage): status.hard mirrors spec.hard, status.used sums what every matching object
 * charges, for the hard names only. Pure over the objects it is given.
 */
import type { Pod, ResourceQuota, ResourceQuotaStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { podCountsForQuota } from '../../api/quota/pod-usage.js';
import { objectUsage, quotaMatches, tracksResource } from '../../api/quota/quota-usage.js';
import { addLists, formatResourceList, maskList, type ResourceList } from '../../api/quota/resource-list.js';

/** The objects of one resource in the quota's namespace. */
export interface ResourceObjects { group: string; resource: string; items: readonly KubeObject[] }

/** Whether any hard name of the quota is charged by this resource. */
export const quotaTracks = (rq: ResourceQuota, group: string, resource: string): boolean =>
  Object.keys(rq.spec?.hard ?? {}).some((n) => tracksResource(n, group, resource));

export function calculateQuotaStatus(rq: ResourceQuota, objects: readonly ResourceObjects[], now: Date): ResourceQuotaStatus {
  const hard = rq.spec?.hard ?? {};
  const names = Object.keys(hard);
  let used: ResourceList = {};
  for (const n of names) used[n] = 0;
  for (const { group, resource, items } of objects) {
    for (const obj of items) {
      if (resource === 'pods' && group === '' && !podCountsForQuota(obj as Pod, now.getTime())) continue;
      if (!quotaMatches(rq, group, resource, obj)) continue;
      used = addLists(used, maskList(objectUsage(group, resource, obj), names));
    }
  }
  return { hard: { ...hard }, used: formatResourceList(used) };
}
