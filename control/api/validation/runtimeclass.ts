/** node.k8s.io/v1 RuntimeClass (upstream ValidateRuntimeClass / ValidateRuntimeClassUpdate). */
import type { FieldError } from '../status.js';
import { immutable, invalid } from './field-errors.js';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { rec, str, type Obj } from './obj.js';

/** A Quantity's sign, when it parses as one ("-1", "-250m" are negative). */
const isNegativeQuantity = (q: unknown): boolean => (typeof q === 'number' ? q < 0 : typeof q === 'string' && q.trim().startsWith('-'));

export function validateRuntimeClass(rc: Obj, old?: Obj): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(rec(rc['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(rc['metadata']), { namespaced: false, nameFn: nameIsDNSSubdomain });
  const handler = str(rc['handler']);
  for (const m of nameIsDNSLabel(handler, false)) errs.push(invalid('handler', handler, m));
  const podFixed = rec(rec(rc['overhead'])?.['podFixed']) ?? {};
  for (const [name, q] of Object.entries(podFixed)) {
    if (isNegativeQuantity(q)) errs.push(invalid(`overhead.podFixed[${name}]`, String(q), 'must be greater than or equal to 0'));
  }
  const scheduling = rec(rc['scheduling']);
  if (scheduling) errs.push(...validateLabels(scheduling['nodeSelector'], 'scheduling.nodeSelector'));
  if (old && handler !== str(old['handler'])) errs.push(immutable('handler', handler));
  return errs;
}
