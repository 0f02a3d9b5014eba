/**
 * The LimitRanger admission step (upstream plugin/pkg/admission/limitranger) for pod creates:
 * containers without requests or limits get the defaults of the namespace's Container limits
 * (noted in the `kubernetes.io/limit-ranger` annotation), then every Container and Pod limit's
 * min, max and maxLimitRequestRatio is enforced with upstream's messages (403).
 */
import type { Container, LimitRange, LimitRangeItem, Pod } from 'kubernetes-types/core/v1.js';
import { defaultLimitRangeItem } from '../../api/defaults/limitrange.js';
import type { KubeObject } from '../../api/object.js';
import { podRequestsAndLimits } from '../../api/quota/pod-usage.js';
import { formatQuantity, parseResourceList, type ResourceList } from '../../api/quota/resource-list.js';
import { findResource } from '../../api/resources.js';
import { forbidden } from '../../api/status.js';
import type { AdmissionAttributes } from './admission.js';

const LIMIT_RANGES = findResource('', 'v1', 'limitranges')!;
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type Quantities = Record<string, string>;

/** Fill missing requests and limits of each container; returns the annotation text, or '' when nothing was set. */
export function applyContainerDefaults(pod: Pod, items: readonly LimitRangeItem[]): string {
  const limits: Quantities = {};
  const requests: Quantities = {};
  for (const item of items.filter((i) => i.type === 'Container').map(defaultLimitRangeItem)) {
    Object.assign(requests, item.defaultRequest);
    Object.assign(limits, item.default);
  }
  const notes: string[] = [];
  const fill = (c: Container): void => {
    const setRequests: string[] = [];
    const setLimits: string[] = [];
    const res = (c.resources ??= {});
    for (const [k, v] of Object.entries(limits)) {
      if (res.limits?.[k] !== undefined) continue;
      (res.limits ??= {})[k] = v;
      setLimits.push(k);
    }
    for (const [k, v] of Object.entries(requests)) {
      if (res.requests?.[k] !== undefined) continue;
      (res.requests ??= {})[k] = v;
      setRequests.push(k);
    }
    if (setRequests.length) notes.push(`${setRequests.join(', ')} request for container ${c.name}`);
    if (setLimits.length) notes.push(`${setLimits.join(', ')} limit for container ${c.name}`);
  };
  for (const c of pod.spec?.initContainers ?? []) fill(c);
  for (const c of pod.spec?.containers ?? []) fill(c);
  return notes.length ? `LimitRanger plugin set: ${notes.join('; ')}` : '';
}

const q = (n: number): string => formatQuantity(n);

/** The refusals of one item for one set of requests and limits (upstream min/max/ratio constraints). */
function constraintErrors(item: LimitRangeItem, kind: string, req: ResourceList, lim: ResourceList): string[] {
  const errs: string[] = [];
  for (const [r, v] of Object.entries(parseResourceList(item.min))) {
    if (req[r] === undefined) errs.push(`minimum ${r} usage per ${kind} is ${q(v)}.  No request is specified`);
    else if (req[r] < v) errs.push(`minimum ${r} usage per ${kind} is ${q(v)}, but request is ${q(req[r])}`);
    else if (lim[r] !== undefined && lim[r] < v) errs.push(`minimum ${r} usage per ${kind} is ${q(v)}, but limit is ${q(lim[r])}`);
  }
  for (const [r, v] of Object.entries(parseResourceList(item.max))) {
    if (lim[r] === undefined) errs.push(`maximum ${r} usage per ${kind} is ${q(v)}.  No limit is specified`);
    else if (lim[r] > v) errs.push(`maximum ${r} usage per ${kind} is ${q(v)}, but limit is ${q(lim[r])}`);
    else if (req[r] !== undefined && req[r] > v) errs.push(`maximum ${r} usage per ${kind} is ${q(v)}, but request is ${q(req[r])}`);
  }
  for (const [r, v] of Object.entries(parseResourceList(item.maxLimitRequestRatio))) {
    const rq = req[r] ?? 0;
    const lm = lim[r] ?? 0;
    if (rq === 0) errs.push(`${r} max limit to request ratio per ${kind} is ${q(v)}, but no request is specified or request is 0`);
    else if (lm === 0) errs.push(`${r} max limit to request ratio per ${kind} is ${q(v)}, but no limit is specified or limit is 0`);
    else if (lm / rq > v) errs.push(`${r} max limit to request ratio per ${kind} is ${q(v)}, but provided ratio is ${(lm / rq).toFixed(6)}`);
  }
  return errs;
}

/** Every refusal the namespace's limits give the pod. */
export function podLimitErrors(pod: Pod, items: readonly LimitRangeItem[]): string[] {
  const errs: string[] = [];
  for (const item of items) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
        errs.push(...constraintErrors(item, 'Container', parseResourceList(c.resources?.requests), parseResourceList(c.resources?.limits)));
      }
    } else if (item.type === 'Pod') {
      const { requests, limits } = podRequestsAndLimits(pod);
      errs.push(...constraintErrors(item, 'Pod', requests, limits));
    }
  }
  return errs;
}

export async function admitLimitRange(obj: KubeObject, attrs: AdmissionAttributes): Promise<void> {
  if (attrs.ri.group !== '' || attrs.ri.resource !== 'pods' || !attrs.namespace || !attrs.list) return;
  const ranges = (await attrs.list(LIMIT_RANGES, attrs.namespace)) as LimitRange[];
  const items = ranges.flatMap((r) => r.spec?.limits ?? []);
  if (items.length === 0) return;
  const pod = obj as Pod;
  const note = applyContainerDefaults(pod, items);
  if (note) obj.metadata = { ...obj.metadata, annotations: { ...(obj.metadata?.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: note } };
  const errs = podLimitErrors(pod, items);
  if (errs.length === 0) return;
  const name = obj.metadata?.name ?? attrs.name ?? '';
  throw forbidden(`pods "${name}" is forbidden: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}`);
}
