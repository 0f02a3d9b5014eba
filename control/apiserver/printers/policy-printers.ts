import type { LimitRange, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column } from './columns.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';

/** upstream printResourceQuota and printLimitRange. */

/** "res: used/hard" for every hard limit, sorted; limits.* go to the Limit column, the rest to Request. */
function usage(rq: ResourceQuota): { request: string; limit: string } {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const cell = `${name}: ${String(used[name] ?? '0')}/${String(hard[name])}`;
    (name.startsWith('limits.') ? limit : request).push(cell);
  }
  return { request: request.join(', '), limit: limit.join(', ') };
}

export const resourceQuotaPrinter = definePrinter<ResourceQuota>([
  NAME_COLUMN,
  AGE_COLUMN,
  column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
  column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
], (rq, ctx) => {
  const { request, limit } = usage(rq);
  return [rq.metadata?.name ?? '', sinceTimestamp(rq.metadata?.creationTimestamp, ctx.now), request, limit];
});

export const limitRangePrinter = definePrinter<LimitRange>([
  NAME_COLUMN,
  column('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
], (lr) => [lr.metadata?.name ?? '', lr.metadata?.creationTimestamp ?? '']);

/** upstream printPodDisruptionBudget: an unset bound prints N/A. */
export const podDisruptionBudgetPrinter = definePrinter<PodDisruptionBudget>([
  NAME_COLUMN,
  column('Min Available', 'string', 'The minimum number of pods that must be available.'),
  column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
  column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
  AGE_COLUMN,
], (pdb, ctx) => [
  pdb.metadata?.name ?? '',
  pdb.spec?.minAvailable === undefined ? 'N/A' : String(pdb.spec.minAvailable),
  pdb.spec?.maxUnavailable === undefined ? 'N/A' : String(pdb.spec.maxUnavailable),
  pdb.status?.disruptionsAllowed ?? 0,
  sinceTimestamp(pdb.metadata?.creationTimestamp, ctx.now),
]);
