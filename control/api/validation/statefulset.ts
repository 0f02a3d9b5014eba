/** apps/v1 StatefulSet and ControllerRevision (apps validation, 1.32). */
import type { FieldError } from '../status.js';
import {
  GoRaw, forbidden, goQuote, goStringMap, immutable, invalid, nonNegative, notSupported, required,
} from './field-errors.js';
import { selectorMatches, validateAnnotations, validateLabelSelector, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isValidPercent, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { deepEqual, num, rec, recs, str, strMap, type Obj } from './obj.js';
import { intOrPercent, intOrStringValue, selectorValue, validatePositiveIntOrPercent } from './workloads.js';

const RETENTION_POLICIES = ['Retain', 'Delete'];
/** The spec fields an update may change; everything else is fixed at creation. */
const MUTABLE_SPEC = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'];
export const STATEFULSET_SPEC_FORBIDDEN = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
  + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** A *RollingUpdateStatefulSetStrategy as %#v prints its pointee. */
function goRollingUpdate(ru: Obj): GoRaw {
  const mu = ru['maxUnavailable'] === undefined ? '(*intstr.IntOrString)(nil)' : '(*intstr.IntOrString)(0xc000a1c000)';
  return new GoRaw(`apps.RollingUpdateStatefulSetStrategy{Partition:${num(ru['partition']) ?? 0}, MaxUnavailable:${mu}}`);
}

function validateRollingUpdate(ru: Obj, field: string): FieldError[] {
  const errs = nonNegative(`${field}.partition`, num(ru['partition']));
  const mu = ru['maxUnavailable'];
  if (mu !== undefined && mu !== null) {
    errs.push(...validatePositiveIntOrPercent(mu, `${field}.maxUnavailable`));
    if (intOrPercent(mu) === 0) errs.push(invalid(`${field}.maxUnavailable`, intOrStringValue(mu), 'cannot be 0'));
    if (typeof mu === 'string' && isValidPercent(mu).length === 0 && intOrPercent(mu) > 100) {
      errs.push(invalid(`${field}.maxUnavailable`, intOrStringValue(mu), 'must not be greater than 100%'));
    }
  }
  return errs;
}

function validateUpdateStrategy(s: Obj): FieldError[] {
  const type = str(s['type']);
  const ru = rec(s['rollingUpdate']);
  if (type === '') return [required('spec.updateStrategy')];
  if (type === 'OnDelete') return ru ? [invalid('spec.updateStrategy.rollingUpdate', goRollingUpdate(ru), "only allowed for updateStrategy 'RollingUpdate'")] : [];
  if (type === 'RollingUpdate') return ru ? validateRollingUpdate(ru, 'spec.updateStrategy.rollingUpdate') : [];
  const ptr = ru ? '(0xc000a1c010)' : '(nil)';
  return [invalid('spec.updateStrategy', new GoRaw(`apps.StatefulSetUpdateStrategy{Type:${goQuote(type)}, RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)${ptr}}`),
    "must be 'RollingUpdate' or 'OnDelete'")];
}

function validateRetentionPolicy(p: Obj | undefined): FieldError[] {
  if (!p) return [];
  const errs: FieldError[] = [];
  for (const k of ['whenDeleted', 'whenScaled'] as const) {
    const v = str(p[k]);
    if (!RETENTION_POLICIES.includes(v)) errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v, RETENTION_POLICIES));
  }
  return errs;
}

/**
 * ValidateStatefulSetSpec. As upstream, the pod template is checked for its labels, annotations,
 * restartPolicy and activeDeadlineSeconds only: the pods the controller makes are validated as pods.
 */
export function validateStatefulSetSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const pmp = str(spec['podManagementPolicy']);
  if (pmp === '') errs.push(required('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateUpdateStrategy(rec(spec['updateStrategy']) ?? {}));
  errs.push(...validateRetentionPolicy(rec(spec['persistentVolumeClaimRetentionPolicy'])));
  errs.push(...nonNegative('spec.replicas', num(spec['replicas'])));
  errs.push(...nonNegative('spec.minReadySeconds', num(spec['minReadySeconds'])));
  const ordinals = rec(spec['ordinals']);
  if (ordinals) errs.push(...nonNegative('spec.ordinals.start', num(ordinals['start'])));
  const sel = rec(spec['selector']);
  const selectorSize = Object.keys(rec(sel?.['matchLabels']) ?? {}).length + recs(sel?.['matchExpressions']).length;
  if (!sel) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(sel, 'spec.selector'));
    if (selectorSize === 0) errs.push(invalid('spec.selector', selectorValue(sel), 'empty selector is invalid for statefulset'));
  }
  const template = rec(spec['template']) ?? {};
  const tmeta = rec(template['metadata']) ?? {};
  const labels = strMap(tmeta['labels']);
  if (selectorSize > 0 && !selectorMatches(sel, labels)) {
    errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validateLabels(tmeta['labels'], 'spec.template.labels'));
  errs.push(...validateAnnotations(tmeta['annotations'], 'spec.template.annotations'));
  const tspec = rec(template['spec']) ?? {};
  const rp = str(tspec['restartPolicy']);
  if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (tspec['activeDeadlineSeconds'] !== undefined && tspec['activeDeadlineSeconds'] !== null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

/** ValidateStatefulSet (create: the name must be a DNS label, as it names the pods) and ValidateStatefulSetUpdate. */
export function validateStatefulSet(o: Obj, old?: Obj): FieldError[] {
  const spec = rec(o['spec']) ?? {};
  if (!old) return [...validateObjectMeta(rec(o['metadata']), { namespaced: true, nameFn: nameIsDNSLabel }), ...validateStatefulSetSpec(spec)];
  const errs = [...validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata'])), ...validateStatefulSetSpec(spec)];
  const oldSpec = rec(old['spec']) ?? {};
  const fixed = (s: Obj): Obj => Object.fromEntries(Object.entries(s).filter(([k]) => !MUTABLE_SPEC.includes(k)));
  if (!deepEqual(fixed(spec), fixed(oldSpec))) errs.push(forbidden('spec', STATEFULSET_SPEC_FORBIDDEN));
  return errs;
}

/** ValidateStatefulSetStatusUpdate. */
export function validateStatefulSetStatusUpdate(o: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata']));
  const s = rec(o['status']) ?? {};
  const n = (k: string): number => num(s[k]) ?? 0;
  for (const k of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount']) {
    errs.push(...nonNegative(`status.${k}`, num(s[k])));
  }
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    if (n(k) > n('replicas')) errs.push(invalid(`status.${k}`, n(k), 'cannot be greater than status.replicas'));
  }
  if (n('availableReplicas') > n('readyReplicas')) errs.push(invalid('status.availableReplicas', n('availableReplicas'), 'cannot be greater than status.readyReplicas'));
  const oldCollisions = num(rec(old['status'])?.['collisionCount']);
  if (oldCollisions !== undefined && (num(s['collisionCount']) ?? 0) < oldCollisions) {
    errs.push(invalid('status.collisionCount', num(s['collisionCount']) ?? 0, 'cannot be decremented'));
  }
  return errs;
}

/** ValidateControllerRevision and, with `old`, ValidateControllerRevisionUpdate (data is immutable). */
export function validateControllerRevision(o: Obj, old?: Obj): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata']))
    : [];
  errs.push(...validateObjectMeta(rec(o['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain }));
  if (o['data'] === undefined || o['data'] === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...nonNegative('revision', num(o['revision'])));
  if (old && !deepEqual(o['data'], old['data'])) errs.push(immutable('data', new GoRaw('runtime.RawExtension{...}')));
  return errs;
}
