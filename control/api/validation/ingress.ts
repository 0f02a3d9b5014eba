/**
 * networking.k8s.io/v1 Ingress (upstream ValidateIngressCreate / ValidateIngressUpdate /
 * ValidateIngressStatusUpdate), with upstream's paths and wording.
 */
import type { FieldError } from '../status.js';
import { GoRaw, invalid, notSupported, required } from './field-errors.js';
import { isValidIP } from './ip.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import {
  isDNS1123Subdomain, isIP, isValidPortName, isValidPortNum, nameIsDNS1035Label, nameIsDNSSubdomain, regexError,
} from './names.js';
import { num, rec, recs, str, type Obj } from './obj.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const BAD_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_PATH_SUFFIXES = ['/..', '/.'];
const WILDCARD = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** upstream IsWildcardDNS1123Subdomain. */
function isWildcardDNS1123Subdomain(v: string): string[] {
  const errs = v.length > 253 ? ['must be no more than 253 characters'] : [];
  if (!WILDCARD.test(v)) errs.push(regexError('a wildcard DNS-1123 subdomain must start with \'*.\', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, \'-\' or \'.\' and end with an alphanumeric character', '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*', '*.example.com'));
  return errs;
}

function validateHost(host: string, field: string): FieldError[] {
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return msgs.map((m) => invalid(field, host, m));
}

function validateBackend(b: Obj, field: string): FieldError[] {
  const service = rec(b['service']);
  const resource = rec(b['resource']);
  if (service && resource) return [invalid(field, '', 'cannot set both resource and service backends')];
  if (resource) {
    const errs: FieldError[] = [];
    const group = str(resource['apiGroup']);
    if (group) errs.push(...isDNS1123Subdomain(group).map((m) => invalid(`${field}.resource.apiGroup`, group, m)));
    if (!str(resource['kind'])) errs.push(required(`${field}.resource.kind`));
    if (!str(resource['name'])) errs.push(required(`${field}.resource.name`));
    return errs;
  }
  if (!service) return [required(field, 'one of `resource` or `service` must be specified')];
  const name = str(service['name']);
  const errs = nameIsDNS1035Label(name, false).map((m) => invalid(`${field}.service.name`, name, m));
  const port = rec(service['port']) ?? {};
  const portName = str(port['name']);
  const portNumber = num(port['number']) ?? 0;
  const pf = `${field}.service.port`;
  if (portName && portNumber) errs.push(invalid(pf, '', 'cannot specify both port name and port number'));
  else if (portName) errs.push(...isValidPortName(portName).map((m) => invalid(`${pf}.name`, portName, m)));
  else if (portNumber) errs.push(...isValidPortNum(portNumber).map((m) => invalid(`${pf}.number`, portNumber, m)));
  else errs.push(required(pf, 'port name or number is required'));
  return errs;
}

function validatePath(p: Obj, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const path = str(p['path']);
  const type = p['pathType'];
  if (type === undefined) errs.push(required(`${field}.pathType`, 'must be specified'));
  else if (!PATH_TYPES.includes(str(type))) errs.push(notSupported(`${field}.pathType`, str(type), PATH_TYPES));
  else if (type === 'Exact' || type === 'Prefix') {
    if (!path.startsWith('/')) errs.push(invalid(`${field}.path`, path, 'must be an absolute path'));
    for (const s of BAD_PATH_SEQUENCES) if (path.includes(s)) errs.push(invalid(`${field}.path`, path, `must not contain '${s}'`));
    for (const s of BAD_PATH_SUFFIXES) if (path.endsWith(s)) errs.push(invalid(`${field}.path`, path, `cannot end with '${s}'`));
  } else if (path && !path.startsWith('/')) errs.push(invalid(`${field}.path`, path, 'must be an absolute path'));
  errs.push(...validateBackend(rec(p['backend']) ?? {}, `${field}.backend`));
  return errs;
}

function validateRule(rule: Obj, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const host = str(rule['host']);
  if (host) {
    if (isIP(host)) errs.push(invalid(`${field}.host`, host, 'must be a DNS name, not an IP address'));
    errs.push(...validateHost(host, `${field}.host`));
  }
  const http = rec(rule['http']);
  if (http) {
    const paths = recs(http['paths']);
    if (paths.length === 0) errs.push(required(`${field}.http.paths`));
    paths.forEach((p, i) => errs.push(...validatePath(p, `${field}.http.paths[${i}]`)));
  }
  return errs;
}

function validateSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const rules = recs(spec['rules']);
  const defaultBackend = rec(spec['defaultBackend']);
  if (rules.length === 0 && !defaultBackend) errs.push(invalid('spec', new GoRaw('[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  if (defaultBackend) errs.push(...validateBackend(defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => errs.push(...validateRule(r, `spec.rules[${i}]`)));
  recs(spec['tls']).forEach((t, i) => {
    (Array.isArray(t['hosts']) ? t['hosts'] : []).forEach((h, j) => errs.push(...validateHost(str(h), `spec.tls[${i}].hosts[${j}]`)));
  });
  const className = spec['ingressClassName'];
  if (typeof className === 'string') errs.push(...nameIsDNSSubdomain(className, false).map((m) => invalid('spec.ingressClassName', className, m)));
  return errs;
}

export function validateIngress(ing: Obj, old?: Obj): FieldError[] {
  const meta = old
    ? validateObjectMetaUpdate(rec(ing['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(ing['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain });
  return [...meta, ...validateSpec(rec(ing['spec']) ?? {})];
}

/** The status subresource: metadata update rules plus the load balancer addresses. */
export function validateIngressStatusUpdate(ing: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(rec(ing['metadata']), rec(old['metadata']));
  recs(rec(rec(ing['status'])?.['loadBalancer'])?.['ingress']).forEach((lb, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    const ip = str(lb['ip']);
    if (ip) errs.push(...isValidIP(`${p}.ip`, ip));
    const hostname = str(lb['hostname']);
    if (hostname) {
      errs.push(...isDNS1123Subdomain(hostname).map((m) => invalid(`${p}.hostname`, hostname, m)));
      if (isIP(hostname)) errs.push(invalid(`${p}.hostname`, hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}
