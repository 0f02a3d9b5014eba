/** Namespace, Event, Endpoints, Lease and EndpointSlice (light, upstream wording). */
import type { FieldError } from '../status.js';
import { invalid, nonNegative, notSupported, required } from './field-errors.js';
import { isFullyQualifiedDomainName, isValidIP, isValidIPv4Address, isValidIPv6Address, validateNonSpecialIP } from './ip.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Label, isQualifiedName, isValidPortNum, nameIsDNSLabel, nameIsDNSSubdomain, type NameFn } from './names.js';
import { list, num, rec, recs, str, type Obj } from './obj.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

function meta(o: Obj, old: Obj | undefined, namespaced: boolean, nameFn: NameFn): FieldError[] {
  return old
    ? validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(o['metadata']), { namespaced, nameFn });
}

export function validateNamespace(ns: Obj, old?: Obj): FieldError[] {
  const errs = meta(ns, old, false, nameIsDNSLabel);
  for (const f of list(rec(ns['spec'])?.['finalizers']).map(str)) {
    errs.push(...isQualifiedName(f).map((m) => invalid('spec.finalizers', f, m)));
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export function validateEvent(ev: Obj, old?: Obj): FieldError[] {
  const errs = meta(ev, old, true, nameIsDNSSubdomain);
  const ns = str(rec(ev['metadata'])?.['namespace']);
  const involvedNs = str(rec(ev['involvedObject'])?.['namespace']);
  if (!ev['eventTime']) {
    const ok = involvedNs ? ns === involvedNs : ns === '' || ns === 'default';
    if (!ok) errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  }
  return errs;
}

function validatePort(port: Obj, requireName: boolean, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(port['name']);
  if (requireName && !name) errs.push(required(`${p}.name`));
  else if (name) errs.push(...isDNS1123Label(name).map((m) => invalid(`${p}.name`, name, m)));
  const n = num(port['port']) ?? 0;
  errs.push(...isValidPortNum(n).map((m) => invalid(`${p}.port`, n, m)));
  const proto = str(port['protocol']);
  if (!proto) errs.push(required(`${p}.protocol`));
  else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${p}.protocol`, proto, PROTOCOLS));
  return errs;
}

function validateAddress(a: Obj, p: string): FieldError[] {
  const ip = str(a['ip']);
  const errs = isValidIP(`${p}.ip`, ip);
  const hostname = str(a['hostname']);
  if (hostname) errs.push(...isDNS1123Label(hostname).map((m) => invalid(`${p}.hostname`, hostname, m)));
  errs.push(...validateNonSpecialIP(`${p}.ip`, ip));
  return errs;
}

export function validateEndpoints(ep: Obj, old?: Obj): FieldError[] {
  const errs = meta(ep, old, true, nameIsDNSSubdomain);
  recs(ep['subsets']).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    const addrs = recs(ss['addresses']);
    const notReady = recs(ss['notReadyAddresses']);
    if (addrs.length === 0 && notReady.length === 0) errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    addrs.forEach((a, j) => errs.push(...validateAddress(a, `${p}.addresses[${j}]`)));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, `${p}.notReadyAddresses[${j}]`)));
    const ports = recs(ss['ports']);
    ports.forEach((port, j) => errs.push(...validatePort(port, ports.length > 1, `${p}.ports[${j}]`)));
  });
  return errs;
}

export function validateLease(lease: Obj, old?: Obj): FieldError[] {
  const errs = meta(lease, old, true, nameIsDNSSubdomain);
  const spec = rec(lease['spec']) ?? {};
  const dur = num(spec['leaseDurationSeconds']);
  if (dur !== undefined && dur <= 0) errs.push(invalid('spec.leaseDurationSeconds', dur, 'must be greater than 0'));
  errs.push(...nonNegative('spec.leaseTransitions', num(spec['leaseTransitions'])));
  return errs;
}

export function validateEndpointSlice(es: Obj, old?: Obj): FieldError[] {
  const errs = meta(es, old, true, nameIsDNSSubdomain);
  const addressType = str(es['addressType']);
  if (!addressType) errs.push(required('addressType'));
  else if (!['FQDN', 'IPv4', 'IPv6'].includes(addressType)) errs.push(notSupported('addressType', addressType, ['FQDN', 'IPv4', 'IPv6']));
  else if (old && addressType !== str(old['addressType'])) errs.push(invalid('addressType', addressType, 'field is immutable'));
  recs(es['endpoints']).forEach((e, i) => {
    const addrs = list(e['addresses']).map(str);
    if (addrs.length === 0) errs.push(required(`endpoints[${i}].addresses`, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push(invalid(`endpoints[${i}].addresses`, null, 'must contain at most 100 addresses'));
    addrs.forEach((a, j) => {
      const p = `endpoints[${i}].addresses[${j}]`;
      // unknown address types fall through unvalidated, as upstream's
      if (addressType === 'IPv4') errs.push(...isValidIPv4Address(p, a), ...validateNonSpecialIP(p, a));
      else if (addressType === 'IPv6') errs.push(...isValidIPv6Address(p, a), ...validateNonSpecialIP(p, a));
      else if (addressType === 'FQDN') errs.push(...isFullyQualifiedDomainName(p, a));
    });
  });
  recs(es['ports']).forEach((port, i) => {
    const p = `ports[${i}]`;
    const name = str(port['name']);
    if (name) errs.push(...isDNS1123Label(name).map((m) => invalid(`${p}.name`, name, m)));
    const n = num(port['port']);
    if (n !== undefined) errs.push(...isValidPortNum(n).map((m) => invalid(`${p}.port`, n, m)));
    const proto = str(port['protocol']);
    if (proto && !PROTOCOLS.includes(proto)) errs.push(notSupported(`${p}.protocol`, proto, PROTOCOLS));
  });
  return errs;
}
