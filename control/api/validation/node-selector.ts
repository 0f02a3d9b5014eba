/** core.NodeSelector as a PV's nodeAffinity.required holds it (ValidateNodeSelector and its parts). */
import type { FieldError } from '../status.js';
import { forbidden, invalid, notSupported, required } from './field-errors.js';
import { validateLabelName } from './meta.js';
import { isLabelValue } from './names.js';
import { list, rec, recs, str, type Obj } from './obj.js';

function validateRequirement(r: Obj, field: string, opts: { labels: boolean }): FieldError[] {
  const errs: FieldError[] = [];
  const values = list(r['values']).map(str);
  const op = str(r['operator']);
  if (op === 'In' || op === 'NotIn') {
    if (values.length === 0) errs.push(required(`${field}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (values.length > 0) errs.push(forbidden(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  } else if (op === 'Gt' || op === 'Lt') {
    if (values.length !== 1) errs.push(required(`${field}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
  } else {
    errs.push(invalid(`${field}.operator`, op, 'not a valid selector operator'));
  }
  const key = str(r['key']);
  if (opts.labels) {
    errs.push(...validateLabelName(key, `${field}.key`));
    values.forEach((v, i) => errs.push(...isLabelValue(v).map((m) => invalid(`${field}.values[${i}]`, v, m))));
  } else if (key !== 'metadata.name') {
    errs.push(notSupported(`${field}.key`, key, ['metadata.name']));
  }
  return errs;
}

/** ValidateNodeSelector at `field` (e.g. spec.nodeAffinity.required). */
export function validateNodeSelector(sel: Obj, field: string): FieldError[] {
  const terms = recs(sel['nodeSelectorTerms']);
  if (terms.length === 0) return [required(`${field}.nodeSelectorTerms`, 'must have at least one node selector term')];
  const errs: FieldError[] = [];
  terms.forEach((t, i) => {
    const p = `${field}.nodeSelectorTerms[${i}]`;
    recs(t['matchExpressions']).forEach((r, j) => errs.push(...validateRequirement(r, `${p}.matchExpressions[${j}]`, { labels: true })));
    recs(t['matchFields']).forEach((r, j) => errs.push(...validateRequirement(r, `${p}.matchFields[${j}]`, { labels: false })));
  });
  return errs;
}

/** validateVolumeNodeAffinity: `required` must be there and be a valid node selector. */
export function validateVolumeNodeAffinity(affinity: Obj, field: string): FieldError[] {
  const req = rec(affinity['required']);
  return req ? validateNodeSelector(req, `${field}.required`) : [required(`${field}.required`, 'must specify required node constraints')];
}
