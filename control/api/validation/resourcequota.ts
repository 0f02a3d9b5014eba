/** ResourceQuota validation (core ValidateResourceQuota / ValidateResourceQuotaUpdate / status update). */
import type { FieldError } from '../status.js';
import { QUANTITY_SYNTAX_ERROR, quantityOf } from '../quantity.js';
import { IS_NEGATIVE, duplicate, goStringSlice, immutable, invalid, notSupported } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isQualifiedName, nameIsDNSSubdomain } from './names.js';
import { deepEqual, rec, type Obj } from './obj.js';

const STANDARD_QUOTA = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas',
  'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
const INTEGER_QUOTA = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers',
]);
const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
/** What a scope may limit (upstream's per-scope supported resources). */
const COMPUTE = new Set(['pods', 'count/pods', 'cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory',
  'ephemeral-storage', 'requests.ephemeral-storage', 'limits.ephemeral-storage']);
const SCOPE_RESOURCES: Readonly<Record<string, (r: string) => boolean>> = {
  BestEffort: (r) => r === 'pods' || r === 'count/pods',
  NotBestEffort: (r) => COMPUTE.has(r) || r.startsWith('requests.') || r.startsWith('hugepages-'),
  Terminating: (r) => COMPUTE.has(r) || r.startsWith('requests.') || r.startsWith('hugepages-'),
  NotTerminating: (r) => COMPUTE.has(r) || r.startsWith('requests.') || r.startsWith('hugepages-'),
};

function validateQuotaResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(field, name, m));
  if (!name.includes('/') && !STANDARD_QUOTA.has(name) && !name.startsWith('hugepages-') && !name.startsWith('requests.hugepages-')
    && !name.startsWith('limits.hugepages-')) {
    errs.push(invalid(field, name, 'must be a standard resource for quota'));
  }
  return errs;
}

const isIntegerResource = (name: string): boolean => INTEGER_QUOTA.has(name) || name.startsWith('count/')
  || (name.includes('/') && !name.includes('kubernetes.io/'));

/** A hard/used map: names and non-negative (integer where counted) quantities. */
export function validateQuotaList(list: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, v] of Object.entries(rec(list) ?? {})) {
    const p = `${field}[${name}]`;
    errs.push(...validateQuotaResourceName(name, p));
    let q: number;
    try {
      q = quantityOf(v);
    } catch {
      // a malformed quantity upstream fails decoding; here it is reported on the field
      errs.push(invalid(p, String(v), QUANTITY_SYNTAX_ERROR));
      continue;
    }
    if (q < 0) errs.push(invalid(p, String(v), IS_NEGATIVE));
    if (isIntegerResource(name) && !Number.isInteger(q)) errs.push(invalid(p, String(v), 'must be an integer'));
  }
  return errs;
}

function validateScopes(spec: Obj): FieldError[] {
  const scopes = Array.isArray(spec['scopes']) ? (spec['scopes'] as unknown[]).map(String) : [];
  if (scopes.length === 0) return [];
  const errs: FieldError[] = [];
  const hard = Object.keys(rec(spec['hard']) ?? {});
  const seen = new Set<string>();
  for (const s of scopes) {
    if (!SCOPES.includes(s)) errs.push(notSupported('spec.scopes', s, SCOPES));
    if (seen.has(s)) errs.push(duplicate('spec.scopes', s));
    seen.add(s);
    const supports = SCOPE_RESOURCES[s];
    for (const r of hard) {
      if (supports && !supports(r)) errs.push(invalid('spec.hard', r, 'unsupported scope applied to resource'));
    }
  }
  if ((seen.has('Terminating') && seen.has('NotTerminating')) || (seen.has('BestEffort') && seen.has('NotBestEffort'))) {
    errs.push(invalid('spec.scopes', goStringSlice(scopes), 'conflicting scopes'));
  }
  return errs;
}

function validateBody(rq: Obj): FieldError[] {
  const spec = rec(rq['spec']) ?? {};
  const status = rec(rq['status']) ?? {};
  return [
    ...validateQuotaList(spec['hard'], 'spec.hard'),
    ...validateScopes(spec),
    ...validateQuotaList(status['hard'], 'status.hard'),
    ...validateQuotaList(status['used'], 'status.used'),
  ];
}

export function validateResourceQuota(rq: Obj, old?: Obj): FieldError[] {
  if (!old) return [...validateObjectMeta(rec(rq['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateBody(rq)];
  const errs = [...validateObjectMetaUpdate(rec(rq['metadata']), rec(old['metadata'])), ...validateBody(rq)];
  const scopes = rec(rq['spec'])?.['scopes'] ?? [];
  const oldScopes = rec(old['spec'])?.['scopes'] ?? [];
  if (!deepEqual(scopes, oldScopes)) errs.push(immutable('spec.scopes', goStringSlice((scopes as unknown[]).map(String))));
  return errs;
}
