/**
 * The ResourceQuota admission step (upstream plugin/pkg/admission/resourcequota): a create that
 * would take a namespace over one of its quotas is refused with 403, and a create that fits is
 * charged to the quotas' status.used at once (compare-and-swap, retried on conflict), so two fast
 * creates cannot both slip under a limit; the quota controller settles usage later. As upstream,
 * only what a quota's status.hard lists is enforced (a quota the controller has not seen yet limits
 * nothing), and a pod must name cpu/memory requests or limits a matching quota tracks.
 */
import type { Container, Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { computeUsageOf, podCountsForQuota } from '../../api/quota/pod-usage.js';
import { objectUsage, quotaMatches, tracksResource } from '../../api/quota/quota-usage.js';
import { formatQuantity, maskList, parseResourceList, type ResourceList } from '../../api/quota/resource-list.js';
import { findResource, isCreateOnly, type ResourceInfo } from '../../api/resources.js';
import { forbidden, isApiError, type ApiError } from '../../api/status.js';
import type { AdmissionAttributes } from './admission.js';

const QUOTAS = findResource('', 'v1', 'resourcequotas')!;
const MAX_ATTEMPTS = 5;
/** The names a pod must state in every container when a quota tracks them (upstream's validationSet). */
const MUST_SPECIFY = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

type Quota = ResourceQuota & KubeObject;

/** `<resource> "<name>" is forbidden: <reason>`, as upstream's admission.NewForbidden. */
const refused = (ri: ResourceInfo, name: string, reason: string): ApiError =>
  forbidden(`${ri.group ? `${ri.resource}.${ri.group}` : ri.resource} "${name}" is forbidden: ${reason}`);

/** k=v pairs sorted by name, joined by commas (upstream prettyPrint). */
const pretty = (list: ResourceList): string =>
  Object.keys(list).sort().map((k) => `${k}=${formatQuantity(list[k] ?? 0)}`).join(',');

/** The container-level "must specify" check (upstream pod evaluator Constraints); the missing names, sorted. */
export function missingPodResources(pod: Pod, tracked: readonly string[]): string[] {
  const required = tracked.filter((n) => MUST_SPECIFY.has(n));
  const missing = new Set<string>();
  const containers: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    const has = computeUsageOf(parseResourceList(c.resources?.requests), parseResourceList(c.resources?.limits));
    for (const n of required) if (has[n] === undefined) missing.add(n);
  }
  return [...missing].sort();
}

/** The new status.used for one quota, or the refusal; undefined when the object charges it nothing. */
export function chargeQuota(rq: Quota, ri: ResourceInfo, obj: KubeObject, name: string): ResourceList | undefined {
  const hard = parseResourceList(rq.status?.hard);
  const tracked = Object.keys(hard).filter((n) => tracksResource(n, ri.group, ri.resource));
  if (tracked.length === 0 || !quotaMatches(rq, ri.group, ri.resource, obj)) return undefined;
  const quotaName = rq.metadata?.name ?? '';
  if (ri.group === '' && ri.resource === 'pods') {
    const missing = missingPodResources(obj as Pod, tracked);
    if (missing.length > 0) throw refused(ri, name, `failed quota: ${quotaName}: must specify ${missing.join(',')}`);
  }
  const used = parseResourceList(rq.status?.used);
  const unknown = tracked.filter((n) => used[n] === undefined);
  if (unknown.length > 0) throw refused(ri, name, `status unknown for quota: ${quotaName}, resources: ${tracked.sort().join(',')}`);
  const delta = maskList(objectUsage(ri.group, ri.resource, obj), tracked);
  if (Object.values(delta).every((v) => v === 0)) return undefined;
  const next: ResourceList = { ...used };
  const exceeded: string[] = [];
  for (const [n, v] of Object.entries(delta)) {
    next[n] = Math.round(((used[n] ?? 0) + v) * 1e9) / 1e9;
    if (v > 0 && (next[n] ?? 0) > (hard[n] ?? 0)) exceeded.push(n);
  }
  if (exceeded.length > 0) {
    throw refused(ri, name, `exceeded quota: ${quotaName}, requested: ${pretty(maskList(delta, exceeded))}, `
      + `used: ${pretty(maskList(used, exceeded))}, limited: ${pretty(maskList(hard, exceeded))}`);
  }
  return next;
}

/** Checks every quota of the namespace, then charges those the object counts against. */
export async function admitResourceQuota(obj: KubeObject, attrs: AdmissionAttributes): Promise<void> {
  const { ri, namespace } = attrs;
  if (!namespace || !ri.namespaced || isCreateOnly(ri) || !attrs.list || !attrs.update) return;
  if (ri.group === '' && ri.resource === 'pods' && !podCountsForQuota(obj as Pod, Date.now())) return;
  const name = obj.metadata?.name ?? attrs.name ?? '';
  const charged = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    const quotas = (await attrs.list(QUOTAS, namespace)) as Quota[];
    const pending: Array<{ rq: Quota; used: ResourceList }> = [];
    for (const rq of quotas) {
      if (charged.has(rq.metadata?.name ?? '')) continue;
      const used = chargeQuota(rq, ri, obj, name);
      if (used) pending.push({ rq, used });
    }
    if (attrs.dryRun || pending.length === 0) return;
    let conflicted = false;
    for (const { rq, used } of pending) {
      const next = structuredClone(rq);
      const status = next.status ?? {};
      status.used = { ...(status.used ?? {}) };
      for (const [k, v] of Object.entries(used)) status.used[k] = formatQuantity(v);
      next.status = status;
      try {
        await attrs.update(QUOTAS, next);
        charged.add(rq.metadata?.name ?? '');
      } catch (err) {
        if (!isApiError(err) || err.reason !== 'Conflict' || attempt + 1 >= MAX_ATTEMPTS) throw err;
        conflicted = true;
      }
    }
    if (!conflicted) return;
  }
}
