/** Pod create and update validation (ValidatePodCreate / ValidatePodUpdate). */
import type { FieldError } from '../status.js';
import { forbidden, invalid, required } from './field-errors.js';
import { validateImagesTrimmed } from './container.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { inclusiveRangeError, nameIsDNSSubdomain } from './names.js';
import { deepEqual, num, rec, recs, str, type Obj } from './obj.js';
import { validatePodSpec } from './pod-spec.js';

const MAX_INT32 = 2147483647;

export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validatePodMetadataAndSpec(pod: Obj): FieldError[] {
  const spec = rec(pod['spec']) ?? {};
  const errs = [
    ...validateObjectMeta(rec(pod['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validatePodSpec(spec, 'spec'),
  ];
  if (!str(spec['serviceAccountName'])) {
    recs(spec['volumes']).forEach((v, vi) => {
      recs(rec(v['projected'])?.['sources']).forEach((s, si) => {
        if (s['serviceAccountToken'] !== undefined) {
          errs.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  errs.push(...validateImagesTrimmed(spec['containers'], 'spec.containers'));
  errs.push(...validateImagesTrimmed(spec['initContainers'], 'spec.initContainers'));
  return errs;
}

export function validatePodCreate(pod: Obj): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const spec = rec(pod['spec']) ?? {};
  if (recs(spec['ephemeralContainers']).length > 0) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec['nodeName']) && recs(spec['schedulingGates']).length > 0) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

function containerUpdates(next: Obj[], prev: Obj[], field: string): { errs: FieldError[]; stop: boolean } {
  if (next.length !== prev.length) return { errs: [forbidden(field, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  next.forEach((c, i) => {
    const image = str(c['image']);
    if (!image) errs.push(required(`${field}[${i}].image`));
  });
  return { errs, stop: false };
}

const goFieldName = (k: string): string => k.charAt(0).toUpperCase() + k.slice(1);

/** A go-cmp-like diff of the top-level PodSpec fields that differ (kubectl just prints it). */
export function podSpecDiff(prev: Obj, next: Obj): string {
  const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])];
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    if (deepEqual(prev[k], next[k])) continue;
    if (prev[k] !== undefined) lines.push(`- \t${goFieldName(k)}: ${JSON.stringify(prev[k])},`);
    if (next[k] !== undefined) lines.push(`+ \t${goFieldName(k)}: ${JSON.stringify(next[k])},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

function onlyAddedTolerations(next: Obj[], prev: Obj[]): boolean {
  const strip = (t: Obj): Obj => ({ ...t, tolerationSeconds: undefined });
  return prev.every((o) => next.some((n) => deepEqual(strip(o), strip(n))));
}

export function validatePodUpdate(pod: Obj, old: Obj): FieldError[] {
  const errs = [
    ...validateObjectMetaUpdate(rec(pod['metadata']), rec(old['metadata'])),
    ...validatePodMetadataAndSpec(pod),
  ];
  const spec = rec(pod['spec']) ?? {};
  const oldSpec = rec(old['spec']) ?? {};
  for (const key of ['containers', 'initContainers'] as const) {
    const r = containerUpdates(recs(spec[key]), recs(oldSpec[key]), `spec.${key}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = num(spec['activeDeadlineSeconds']);
  const oldAds = num(oldSpec['activeDeadlineSeconds']);
  if (ads !== undefined) {
    if (ads < 0 || ads > MAX_INT32) return [...errs, invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, MAX_INT32))];
    if (oldAds !== undefined && oldAds < ads) return [...errs, invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
  } else if (oldAds !== undefined) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  if (!onlyAddedTolerations(recs(spec['tolerations']), recs(oldSpec['tolerations']))) {
    errs.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  if (deepEqual(spec, oldSpec)) return errs;

  // Munge the fields an update may change back to their old values, then compare the rest.
  const munged: Obj = { ...spec };
  for (const key of ['containers', 'initContainers'] as const) {
    const prev = recs(oldSpec[key]);
    if (spec[key] !== undefined) munged[key] = recs(spec[key]).map((c, i) => ({ ...c, image: prev[i]?.['image'] }));
  }
  munged['activeDeadlineSeconds'] = oldSpec['activeDeadlineSeconds'];
  munged['schedulingGates'] = oldSpec['schedulingGates'];
  munged['tolerations'] = oldSpec['tolerations'];
  const oldGrace = num(oldSpec['terminationGracePeriodSeconds']);
  if (oldGrace !== undefined && oldGrace < 0 && num(munged['terminationGracePeriodSeconds']) === 1) {
    munged['terminationGracePeriodSeconds'] = oldGrace;
  }
  if (!deepEqual(munged, oldSpec)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${podSpecDiff(oldSpec, munged)}`));
  }
  return errs;
}
