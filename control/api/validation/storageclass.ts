/** storage.k8s.io/v1 StorageClass (storage validation ValidateStorageClass / ValidateStorageClassUpdate). */
import type { FieldError } from '../status.js';
import { forbidden, immutable, invalid, notSupported, required } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isQualifiedName, nameIsDNSSubdomain } from './names.js';
import { deepEqual, rec, str, type Obj } from './obj.js';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

function validateParameters(params: Obj | undefined): FieldError[] {
  if (!params) return [];
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMETERS) {
    return [{ type: 'FieldValueTooLong', field: 'parameters', message: `Too long: may not be more than ${MAX_PARAMETERS} bytes` }];
  }
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of entries) {
    if (k.length < 1) errs.push(invalid('parameters', k, 'field can not be empty.'));
    size += k.length + str(v).length;
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push({ type: 'FieldValueTooLong', field: 'parameters', message: `Too long: may not be more than ${MAX_PARAMETERS_SIZE} bytes` });
  return errs;
}

function validateAllowedTopologies(terms: unknown): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(terms) ? terms : []).forEach((t, i) => {
    const exprs = rec(t)?.['matchLabelExpressions'];
    if (!Array.isArray(exprs) || exprs.length === 0) {
      errs.push(required(`allowedTopologies[${i}].matchLabelExpressions`, 'must have at least one label selector'));
    }
  });
  return errs;
}

/** ValidateStorageClass and, with `old`, ValidateStorageClassUpdate (provisioner, parameters, reclaimPolicy and binding mode are fixed). */
export function validateStorageClass(o: Obj, old?: Obj): FieldError[] {
  const errs = validateObjectMeta(rec(o['metadata']), { namespaced: false, nameFn: nameIsDNSSubdomain });
  const provisioner = str(o['provisioner']);
  if (!provisioner) errs.push(required('provisioner'));
  else errs.push(...isQualifiedName(provisioner.toLowerCase()).map((m) => invalid('provisioner', provisioner.toLowerCase(), m)));
  errs.push(...validateParameters(rec(o['parameters'])));
  const reclaim = str(o['reclaimPolicy']);
  if (reclaim && !RECLAIM_POLICIES.includes(reclaim)) errs.push(notSupported('reclaimPolicy', reclaim, RECLAIM_POLICIES));
  const mode = o['volumeBindingMode'];
  if (mode === undefined || mode === null) errs.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(str(mode))) errs.push(notSupported('volumeBindingMode', str(mode), BINDING_MODES));
  errs.push(...validateAllowedTopologies(o['allowedTopologies']));
  if (!old) return errs;
  errs.push(...validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata'])));
  if (!deepEqual(o['parameters'], old['parameters'])) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (provisioner !== str(old['provisioner'])) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (reclaim !== str(old['reclaimPolicy'])) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (str(mode) !== str(old['volumeBindingMode'])) errs.push(immutable('volumeBindingMode', str(mode)));
  return errs;
}
