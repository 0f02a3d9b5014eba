/**
 * ObjectMeta, labels, annotations and label selectors (apimachinery api/validation/objectmeta.go
 * and apis/meta/v1/validation). Map iteration follows the object's key order.
 */
import type { FieldError } from '../status.js';
import { forbidden, immutable, invalid, required, tooLong, nonNegative } from './field-errors.js';
import { isLabelValue, isQualifiedName, nameIsDNSLabel, type NameFn } from './names.js';
import { list, num, optStr, rec, recs, str, type Obj } from './obj.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateLabelName(key: string, field: string): FieldError[] {
  return isQualifiedName(key).map((m) => invalid(field, key, m));
}

export function validateLabels(labels: unknown, field: string): FieldError[] {
  const m = rec(labels);
  if (!m) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(m)) {
    errs.push(...validateLabelName(k, field));
    const value = typeof v === 'string' ? v : String(v);
    errs.push(...isLabelValue(value).map((msg) => invalid(field, value, msg)));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const m = rec(annotations);
  if (!m) return [];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(m)) {
    errs.push(...isQualifiedName(k.toLowerCase()).map((msg) => invalid(field, k, msg)));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : String(v));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

export function validateLabelSelector(selector: unknown, field: string): FieldError[] {
  const sel = rec(selector);
  if (!sel) return [];
  const errs = validateLabels(sel['matchLabels'], `${field}.matchLabels`);
  recs(sel['matchExpressions']).forEach((e, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    const op = str(e['operator']);
    const values = list(e['values']);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(`${p}.operator`, op, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(str(e['key']), `${p}.key`));
  });
  return errs;
}

/** metav1.LabelSelectorAsSelector + Matches. A missing selector matches nothing; an empty one everything. */
export function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  const sel = rec(selector);
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(rec(sel['matchLabels']) ?? {})) if (l[k] !== v) return false;
  for (const e of recs(sel['matchExpressions'])) {
    const key = str(e['key']);
    const vals = list(e['values']).map(String);
    const has = Object.hasOwn(l, key);
    switch (str(e['operator'])) {
      case 'In': if (!has || !vals.includes(l[key] ?? '')) return false; break;
      case 'NotIn': if (has && vals.includes(l[key] ?? '')) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  list(finalizers).forEach((f, i) => {
    const name = str(f);
    errs.push(...isQualifiedName(name).map((m) => invalid(field, name, m)));
    if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
      errs.push(invalid(`${field}[${i}]`, name, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

export interface MetaOptions { namespaced: boolean; nameFn: NameFn }

/** ValidateObjectMeta (create); `metaPath` is "metadata" or a template's "spec.template.metadata". */
export function validateObjectMeta(meta: Obj | undefined, opts: MetaOptions, metaPath = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  const generateName = str(m['generateName']);
  const name = str(m['name']);
  if (generateName) errs.push(...opts.nameFn(generateName, true).map((msg) => invalid(`${metaPath}.generateName`, generateName, msg)));
  if (!name) errs.push(required(`${metaPath}.name`, 'name or generateName is required'));
  else errs.push(...opts.nameFn(name, false).map((msg) => invalid(`${metaPath}.name`, name, msg)));
  const ns = str(m['namespace']);
  if (opts.namespaced) {
    if (!ns) errs.push(required(`${metaPath}.namespace`));
    else errs.push(...nameIsDNSLabel(ns, false).map((msg) => invalid(`${metaPath}.namespace`, ns, msg)));
  } else if (ns) {
    errs.push(forbidden(`${metaPath}.namespace`, 'not allowed on this type'));
  }
  errs.push(...nonNegative(`${metaPath}.generation`, num(m['generation'])));
  errs.push(...validateLabels(m['labels'], `${metaPath}.labels`));
  errs.push(...validateAnnotations(m['annotations'], `${metaPath}.annotations`));
  errs.push(...validateOwnerReferences(m['ownerReferences'], `${metaPath}.ownerReferences`));
  errs.push(...validateFinalizers(m['finalizers'], `${metaPath}.finalizers`));
  return errs;
}

function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const r of recs(refs)) {
    const apiVersion = str(r['apiVersion']);
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] ?? '' : apiVersion;
    if (!version) errs.push(invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!str(r['kind'])) errs.push(invalid(`${field}.kind`, str(r['kind']), 'must not be empty'));
    if (!str(r['name'])) errs.push(invalid(`${field}.name`, str(r['name']), 'must not be empty'));
    if (!str(r['uid'])) errs.push(invalid(`${field}.uid`, str(r['uid']), 'must not be empty'));
    if (r['controller'] === true) {
      const cur = `${str(r['kind'])}/${str(r['name'])}`;
      if (firstController) {
        errs.push(invalid(field, null, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`));
      } else firstController = cur;
    }
  }
  return errs;
}

/**
 * ValidateObjectMetaUpdate, minus the resourceVersion requirement (the registry fills the current
 * resourceVersion in for unconditional updates before validating, as upstream's store does).
 */
export function validateObjectMetaUpdate(meta: Obj | undefined, old: Obj | undefined, metaPath = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  const gen = num(m['generation']);
  const oldGen = num(o['generation']);
  if (gen !== undefined && oldGen !== undefined && gen < oldGen) errs.push(invalid(`${metaPath}.generation`, gen, 'must not be decremented'));
  for (const key of ['name', 'namespace'] as const) {
    if (str(m[key]) !== str(o[key])) errs.push(immutable(`${metaPath}.${key}`, str(m[key])));
  }
  for (const key of ['uid', 'creationTimestamp'] as const) {
    const nv = optStr(m[key]);
    if (nv !== undefined && optStr(o[key]) !== undefined && nv !== o[key]) errs.push(immutable(`${metaPath}.${key}`, nv));
  }
  if (o['deletionTimestamp'] !== undefined) {
    const extra = list(m['finalizers']).map(str).filter((f) => !list(o['finalizers']).includes(f));
    if (extra.length) {
      errs.push(forbidden(`${metaPath}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`));
    }
  }
  errs.push(...validateLabels(m['labels'], `${metaPath}.labels`));
  errs.push(...validateAnnotations(m['annotations'], `${metaPath}.annotations`));
  errs.push(...validateOwnerReferences(m['ownerReferences'], `${metaPath}.ownerReferences`));
  errs.push(...validateFinalizers(m['finalizers'], `${metaPath}.finalizers`));
  return errs;
}

