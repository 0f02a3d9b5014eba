/** policy/v1 PodDisruptionBudget (policy validation, 1.32). */
import type { FieldError } from '../status.js';
import { GoRaw, invalid, nonNegative, notSupported, required } from './field-errors.js';
import { validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isValidPercent, type NameFn } from './names.js';
import { num, rec, recs, str, type Obj } from './obj.js';
import { intOrPercent, intOrStringValue, validatePositiveIntOrPercent } from './workloads.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** path.IsValidPathSegmentName: the generic store's only name rule for kinds without their own. */
export const nameIsPathSegment: NameFn = (name) => {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
};

function notMoreThan100Percent(v: unknown, field: string): FieldError[] {
  if (typeof v !== 'string' || isValidPercent(v).length > 0) return [];
  return intOrPercent(v) > 100 ? [invalid(field, intOrStringValue(v), 'must not be greater than 100%')] : [];
}

/** The PodDisruptionBudgetSpec as %#v prints it (pointers as addresses, which vary upstream too). */
function goPdbSpec(spec: Obj): GoRaw {
  const ptr = (set: boolean, type: string): string => (set ? `(*${type})(0xc000b2e000)` : `(*${type})(nil)`);
  return new GoRaw(`policy.PodDisruptionBudgetSpec{MinAvailable:${ptr(spec['minAvailable'] != null, 'intstr.IntOrString')}, `
    + `Selector:${ptr(spec['selector'] != null, 'v1.LabelSelector')}, MaxUnavailable:${ptr(spec['maxUnavailable'] != null, 'intstr.IntOrString')}, `
    + `UnhealthyPodEvictionPolicy:${ptr(spec['unhealthyPodEvictionPolicy'] != null, 'policy.UnhealthyPodEvictionPolicyType')}}`);
}

/** ValidatePodDisruptionBudgetSpec: minAvailable XOR maxUnavailable, each an int >= 0 or a percent <= 100%. */
export function validatePodDisruptionBudgetSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const min = spec['minAvailable'];
  const max = spec['maxUnavailable'];
  if (min != null && max != null) errs.push(invalid('spec', goPdbSpec(spec), 'minAvailable and maxUnavailable cannot be both set'));
  if (min != null) errs.push(...validatePositiveIntOrPercent(min, 'spec.minAvailable'), ...notMoreThan100Percent(min, 'spec.minAvailable'));
  if (max != null) errs.push(...validatePositiveIntOrPercent(max, 'spec.maxUnavailable'), ...notMoreThan100Percent(max, 'spec.maxUnavailable'));
  if (rec(spec['selector'])) errs.push(...validateLabelSelector(spec['selector'], 'spec.selector'));
  const policy = spec['unhealthyPodEvictionPolicy'];
  if (policy != null && !EVICTION_POLICIES.includes(str(policy))) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', str(policy), EVICTION_POLICIES));
  }
  return errs;
}

/** ValidatePodDisruptionBudget (the spec may change after creation since policy/v1). */
export function validatePodDisruptionBudget(o: Obj, old?: Obj): FieldError[] {
  const errs = validatePodDisruptionBudgetSpec(rec(o['spec']) ?? {});
  errs.push(...(old
    ? validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(o['metadata']), { namespaced: true, nameFn: nameIsPathSegment })));
  return errs;
}

/** ValidatePodDisruptionBudgetStatusUpdate (policy/v1): counts are non-negative, conditions well-formed. */
export function validatePodDisruptionBudgetStatusUpdate(o: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata']));
  const s = rec(o['status']) ?? {};
  recs(s['conditions']).forEach((c, i) => {
    const p = `status.conditions[${i}]`;
    if (!str(c['type'])) errs.push(required(`${p}.type`));
    const st = str(c['status']);
    if (!['True', 'False', 'Unknown'].includes(st)) errs.push(notSupported(`${p}.status`, st, ['False', 'True', 'Unknown']));
  });
  for (const k of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) errs.push(...nonNegative(`status.${k}`, num(s[k])));
  return errs;
}
