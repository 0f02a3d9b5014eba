/** networking.k8s.io/v1 IngressClass (upstream ValidateIngressClass / ValidateIngressClassUpdate). */
import type { FieldError } from '../status.js';
import { forbidden, immutable, invalid, notSupported, required, tooLong } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Subdomain, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { rec, str, type Obj } from './obj.js';

const MAX_CONTROLLER_LEN = 250;

/** upstream IsDomainPrefixedPath: `<dns subdomain>/<path>`. */
function domainPrefixedPath(field: string, v: string): FieldError[] {
  if (v === '') return [required(field)];
  const slash = v.indexOf('/');
  if (slash < 0) return [invalid(field, v, "must be a domain-prefixed path (such as \"acme.io/foo\")")];
  const domain = v.slice(0, slash);
  const errs = isDNS1123Subdomain(domain).map((m) => invalid(field, domain, m));
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]*$/.test(v.slice(slash + 1))) errs.push(invalid(field, v, 'must be a valid path'));
  return errs;
}

function validateParameters(p: Obj, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const group = str(p['apiGroup']);
  if (group) errs.push(...isDNS1123Subdomain(group).map((m) => invalid(`${field}.apiGroup`, group, m)));
  if (!str(p['kind'])) errs.push(required(`${field}.kind`));
  if (!str(p['name'])) errs.push(required(`${field}.name`));
  const scope = p['scope'];
  const ns = p['namespace'];
  if (scope === undefined) errs.push(required(`${field}.scope`));
  else if (scope !== 'Cluster' && scope !== 'Namespace') errs.push(notSupported(`${field}.scope`, str(scope), ['Cluster', 'Namespace']));
  if (scope === 'Namespace') {
    if (ns === undefined) errs.push(required(`${field}.namespace`, '`parameters.scope` is set to "Namespace"'));
    else errs.push(...nameIsDNSLabel(str(ns), false).map((m) => invalid(`${field}.namespace`, str(ns), m)));
  }
  if (scope === 'Cluster' && ns !== undefined) errs.push(forbidden(`${field}.namespace`, '`parameters.scope` is set to "Cluster"'));
  return errs;
}

export function validateIngressClass(ic: Obj, old?: Obj): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(rec(ic['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(ic['metadata']), { namespaced: false, nameFn: nameIsDNSSubdomain });
  const spec = rec(ic['spec']) ?? {};
  const controller = str(spec['controller']);
  if (controller.length > MAX_CONTROLLER_LEN) errs.push(tooLong('spec.controller', MAX_CONTROLLER_LEN));
  errs.push(...domainPrefixedPath('spec.controller', controller));
  const params = rec(spec['parameters']);
  if (params) errs.push(...validateParameters(params, 'spec.parameters'));
  if (old && controller !== str(rec(old['spec'])?.['controller'])) errs.push(immutable('spec.controller', controller));
  return errs;
}
