/** LimitRange validation (core ValidateLimitRange). */
import type { FieldError } from '../status.js';
import { QUANTITY_SYNTAX_ERROR, quantityOf } from '../quantity.js';
import { IS_NEGATIVE, duplicate, forbidden, invalid, notSupported } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isQualifiedName, nameIsDNSSubdomain } from './names.js';
import { rec, type Obj } from './obj.js';

const TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];
const MAPS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

/** The quantities of one map of an item, checked; name -> [text, value]. */
function quantities(item: Obj, key: string, field: string, errs: FieldError[]): Map<string, [string, number]> {
  const out = new Map<string, [string, number]>();
  for (const [name, v] of Object.entries(rec(item[key]) ?? {})) {
    const p = `${field}.${key}[${name}]`;
    errs.push(...isQualifiedName(name).map((m) => invalid(p, name, m)));
    try {
      const q = quantityOf(v);
      if (q < 0) errs.push(invalid(p, String(v), IS_NEGATIVE));
      out.set(name, [String(v), q]);
    } catch {
      // a malformed quantity upstream fails decoding; here it is reported on the field
      errs.push(invalid(p, String(v), QUANTITY_SYNTAX_ERROR));
    }
  }
  return out;
}

function validateItem(item: Obj, field: string, seenTypes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const type = String(item['type'] ?? '');
  if (!TYPES.includes(type)) errs.push(notSupported(`${field}.type`, type, TYPES));
  else if (seenTypes.has(type)) errs.push(duplicate(`${field}.type`, type));
  seenTypes.add(type);
  const [max, min, def, defReq, ratio] = MAPS.map((k) => quantities(item, k, field, errs)) as [
    Map<string, [string, number]>, Map<string, [string, number]>, Map<string, [string, number]>,
    Map<string, [string, number]>, Map<string, [string, number]>];
  if (type === 'Pod') {
    if (def.size > 0) errs.push(forbidden(`${field}.default`, "may not be specified when `type` is 'Pod'"));
    if (defReq.size > 0) errs.push(forbidden(`${field}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
  }
  const names = new Set([...max.keys(), ...min.keys(), ...def.keys(), ...defReq.keys(), ...ratio.keys()]);
  for (const n of names) {
    const mx = max.get(n);
    const mn = min.get(n);
    const d = def.get(n);
    const dr = defReq.get(n);
    const r = ratio.get(n);
    if (mn && mx && mn[1] > mx[1]) errs.push(invalid(`${field}.min[${n}]`, mn[0], `min value ${mn[0]} is greater than max value ${mx[0]}`));
    if (dr && mn && mn[1] > dr[1]) errs.push(invalid(`${field}.defaultRequest[${n}]`, dr[0], `min value ${mn[0]} is greater than default request value ${dr[0]}`));
    if (dr && mx && dr[1] > mx[1]) errs.push(invalid(`${field}.defaultRequest[${n}]`, dr[0], `default request value ${dr[0]} is greater than max value ${mx[0]}`));
    if (dr && d && dr[1] > d[1]) errs.push(invalid(`${field}.defaultRequest[${n}]`, dr[0], `default request value ${dr[0]} is greater than default limit value ${d[0]}`));
    if (d && mn && mn[1] > d[1]) errs.push(invalid(`${field}.default[${n}]`, d[0], `min value ${mn[0]} is greater than default value ${d[0]}`));
    if (d && mx && d[1] > mx[1]) errs.push(invalid(`${field}.default[${n}]`, d[0], `default value ${d[0]} is greater than max value ${mx[0]}`));
    if (r && r[1] < 1) errs.push(invalid(`${field}.maxLimitRequestRatio[${n}]`, r[0], `ratio ${r[0]} is less than 1`));
    if (r && mx && mn && mn[1] > 0 && r[1] > mx[1] / mn[1]) {
      errs.push(invalid(`${field}.maxLimitRequestRatio[${n}]`, r[0], `ratio ${r[0]} is greater than max/min = ${(mx[1] / mn[1]).toFixed(6)}`));
    }
  }
  return errs;
}

export function validateLimitRange(lr: Obj, old?: Obj): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(rec(lr['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(lr['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain });
  const limits = rec(lr['spec'])?.['limits'];
  const seen = new Set<string>();
  (Array.isArray(limits) ? limits : []).forEach((item, i) => errs.push(...validateItem(rec(item) ?? {}, `spec.limits[${i}]`, seen)));
  return errs;
}
