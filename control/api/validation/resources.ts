/** Container resource requirements: names, quantity syntax, requests <= limits (core validation). */
import type { FieldError } from '../status.js';
import { QUANTITY_SYNTAX_ERROR, quantityOf } from '../quantity.js';
import { IS_NEGATIVE, invalid, required } from './field-errors.js';
import { isQualifiedName } from './names.js';
import { rec, type Obj } from './obj.js';

const STANDARD_CONTAINER = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_OTHER = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.cpu', 'requests.memory', 'requests.storage',
  'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);

const isHugePages = (n: string): boolean => n.startsWith('hugepages-');
const isNative = (n: string): boolean => !n.includes('/') || n.includes('kubernetes.io/');
/** cpu, memory and ephemeral-storage may be overcommitted; hugepages and extended resources not. */
const overcommitAllowed = (n: string): boolean => isNative(n) && !isHugePages(n);

function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(field, name, m));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    const containerStd = STANDARD_CONTAINER.has(name) || isHugePages(name);
    if (!containerStd && !STANDARD_OTHER.has(name)) errs.push(invalid(field, name, 'must be a standard resource type or fully qualified'));
    if (!containerStd) errs.push(invalid(field, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && name.startsWith('requests.')) {
    errs.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

const display = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** Parse and check one quantity; returns the value or undefined with errors pushed. */
function checkQuantity(name: string, v: unknown, field: string, errs: FieldError[]): number | undefined {
  let q: number;
  try {
    q = quantityOf(v);
  } catch {
    // upstream rejects a malformed quantity while decoding; report it on the field instead
    errs.push(invalid(field, display(v), QUANTITY_SYNTAX_ERROR));
    return undefined;
  }
  if (q < 0) errs.push(invalid(field, display(v), IS_NEGATIVE));
  if (!isNative(name) && Math.round(q * 1000) % 1000 !== 0) errs.push(invalid(field, display(v), 'must be an integer'));
  return q;
}

/** ValidateContainerResourceRequirements at `field` (e.g. spec.containers[0].resources). */
export function validateResourceRequirements(resources: Obj | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = rec(resources?.['limits']) ?? {};
  const requests = rec(resources?.['requests']) ?? {};
  const limPath = `${field}.limits`;
  const reqPath = `${field}.requests`;
  let limCpuMem = false;
  let reqCpuMem = false;
  let hugePages = false;
  const limitValues = new Map<string, number>();
  for (const [name, v] of Object.entries(limits)) {
    const p = `${limPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, p));
    const q = checkQuantity(name, v, p, errs);
    if (q !== undefined) limitValues.set(name, q);
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') limCpuMem = true;
  }
  for (const [name, v] of Object.entries(requests)) {
    const p = `${reqPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, p));
    const q = checkQuantity(name, v, p, errs);
    const limit = limitValues.get(name);
    if (q !== undefined && limit !== undefined) {
      const limitText = display(limits[name]);
      if (q !== limit && !overcommitAllowed(name)) {
        errs.push(invalid(reqPath, display(v), `must be equal to ${name} limit of ${limitText}`));
      } else if (q > limit) {
        errs.push(invalid(reqPath, display(v), `must be less than or equal to ${name} limit of ${limitText}`));
      }
    } else if (!Object.hasOwn(limits, name) && !overcommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') reqCpuMem = true;
  }
  if (hugePages && !limCpuMem && !reqCpuMem) {
    errs.push({ type: 'FieldValueForbidden', field, message: 'Forbidden: HugePages require cpu or memory' });
  }
  return errs;
}
