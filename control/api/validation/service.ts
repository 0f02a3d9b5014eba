/** Service validation (core ValidateService / ValidateServiceUpdate), allocation excluded. */
import type { FieldError } from '../status.js';
import { GoRaw, duplicate, forbidden, goQuote, goStringSlice, invalid, notSupported, required } from './field-errors.js';
import { isValidIP, validateNonSpecialIP } from './ip.js';
import { validateLoadBalancerStatus } from './load-balancer-status.js';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isIP, isValidPortNum, nameIsDNS1035Label } from './names.js';
import { deepEqual, list, num, optStr, rec, recs, str, type Obj } from './obj.js';
import { validatePortNumOrName } from './probe.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_AFFINITY_SECONDS = 86400;

const clusterIPsOf = (spec: Obj): string[] => list(spec['clusterIPs']).map(str);
const isHeadless = (spec: Obj): boolean => { const ips = clusterIPsOf(spec); return ips.length === 1 && ips[0] === 'None'; };

/** core.ServicePort as %#v prints it (used by the duplicate-port error). */
function goServicePortKey(protocol: string, port: number): GoRaw {
  return new GoRaw(`core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`);
}

function validatePorts(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ports = recs(spec['ports']);
  const names = new Set<string>();
  ports.forEach((sp, i) => {
    const p = `spec.ports[${i}]`;
    const name = str(sp['name']);
    if (ports.length > 1 && !name) errs.push(required(`${p}.name`));
    else if (name) {
      errs.push(...isDNS1123Label(name).map((m) => invalid(`${p}.name`, name, m)));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      else names.add(name);
    }
    const port = num(sp['port']) ?? 0;
    errs.push(...isValidPortNum(port).map((m) => invalid(`${p}.port`, port, m)));
    const proto = str(sp['protocol']);
    if (!proto) errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${p}.protocol`, proto, PROTOCOLS));
    errs.push(...validatePortNumOrName(sp['targetPort'], `${p}.targetPort`));
  });
  if (str(spec['type']) === 'ClusterIP') {
    ports.forEach((sp, i) => {
      if ((num(sp['nodePort']) ?? 0) !== 0) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((sp, i) => {
    const np = num(sp['nodePort']) ?? 0;
    const proto = str(sp['protocol']);
    if (np !== 0) {
      if (nodePorts.has(`${proto}/${np}`)) errs.push(duplicate(`spec.ports[${i}].nodePort`, np));
      nodePorts.add(`${proto}/${np}`);
    }
    const port = num(sp['port']) ?? 0;
    if (keys.has(`${proto}/${port}`)) errs.push(duplicate(`spec.ports[${i}]`, goServicePortKey(proto, port)));
    keys.add(`${proto}/${port}`);
  });
  return errs;
}

function validateClusterIPs(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ip = str(spec['clusterIP']);
  const ips = clusterIPsOf(spec);
  if (ip) {
    if (ips.length === 0) errs.push(required('spec.clusterIPs'));
    else if (ips[0] !== ip) errs.push(invalid('spec.clusterIPs', goStringSlice(ips), 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(invalid('spec.clusterIPs', goStringSlice(ips), 'must be empty when `clusterIP` is not specified'));
  }
  ips.forEach((v, i) => {
    if (i === 0 && v === 'None') {
      if (ips.length > 1) errs.push(invalid('spec.clusterIPs', goStringSlice(ips), "'None' must be the first and only value"));
      return;
    }
    if (!isIP(v)) errs.push(invalid(`spec.clusterIPs[${i}]`, v, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', goStringSlice(ips), 'may only hold up to 2 values'));
  list(spec['ipFamilies']).map(str).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
  });
  const policy = optStr(spec['ipFamilyPolicy']);
  if (policy !== undefined && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(policy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', policy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  return errs;
}

export function validateService(svc: Obj): FieldError[] {
  const spec = rec(svc['spec']) ?? {};
  const type = str(spec['type']);
  const errs = validateObjectMeta(rec(svc['metadata']), { namespaced: true, nameFn: nameIsDNS1035Label });
  if (recs(spec['ports']).length === 0 && !isHeadless(spec) && type !== 'ExternalName') errs.push(required('spec.ports'));
  if ((type === 'LoadBalancer' || type === 'NodePort') && isHeadless(spec)) {
    errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  }
  if (type === 'ExternalName') {
    if (clusterIPsOf(spec).length) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (list(spec['ipFamilies']).length) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec['ipFamilyPolicy'] !== undefined) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = str(spec['externalName']).replace(/\.$/, '');
    if (cname) errs.push(...isDNS1123Subdomain(cname).map((m) => invalid('spec.externalName', cname, m)));
    else errs.push(required('spec.externalName'));
  }
  errs.push(...validatePorts(spec));
  if (spec['selector'] !== undefined) errs.push(...validateLabels(spec['selector'], 'spec.selector'));
  const aff = str(spec['sessionAffinity']);
  if (!aff) errs.push(required('spec.sessionAffinity'));
  else if (aff !== 'ClientIP' && aff !== 'None') errs.push(notSupported('spec.sessionAffinity', aff, ['ClientIP', 'None']));
  if (aff === 'ClientIP') {
    const timeout = num(rec(rec(spec['sessionAffinityConfig'])?.['clientIP'])?.['timeoutSeconds']);
    if (timeout === undefined) errs.push(required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', 'when session affinity type is ClientIP'));
    else if (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS) {
      errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`));
    }
  } else if (aff === 'None' && spec['sessionAffinityConfig'] !== undefined) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  if (type !== 'ExternalName') errs.push(...validateClusterIPs(spec));
  list(spec['externalIPs']).map(str).forEach((ip, i) => {
    const ipErrs = isValidIP(`spec.externalIPs[${i}]`, ip);
    errs.push(...(ipErrs.length ? ipErrs : validateNonSpecialIP(`spec.externalIPs[${i}]`, ip)));
  });
  if (!type) errs.push(required('spec.type'));
  else if (!TYPES.includes(type)) errs.push(notSupported('spec.type', type, TYPES));
  const external = type === 'NodePort' || type === 'LoadBalancer' || list(spec['externalIPs']).length > 0;
  const etp = str(spec['externalTrafficPolicy']);
  if (!external && etp) errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  if (external && !etp) errs.push(required('spec.externalTrafficPolicy'));
  if (external && etp && etp !== 'Cluster' && etp !== 'Local') errs.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  const itp = optStr(spec['internalTrafficPolicy']);
  if (itp === undefined && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type)) errs.push(required('spec.internalTrafficPolicy'));
  if (itp !== undefined && itp !== 'Cluster' && itp !== 'Local') errs.push(notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  return errs;
}

/** validateUpgradeDowngradeClusterIPs: an allocated clusterIP may not change. */
function validateClusterIPUpdate(spec: Obj, oldSpec: Obj): FieldError[] {
  if (str(spec['type']) === 'ExternalName' || str(oldSpec['type']) === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(oldSpec)) return [];
  const next = clusterIPsOf(spec);
  const prev = clusterIPsOf(oldSpec);
  const errs: FieldError[] = [];
  if (prev.length === next.length) {
    prev.forEach((ip, i) => { if (ip !== next[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, goStringSlice(next), 'may not change once set')); });
  } else if (prev.length > next.length) {
    if (next.length === 0) errs.push(invalid('spec.clusterIPs[0]', goStringSlice(next), 'primary clusterIP can not be unset'));
    else if (next[0] !== prev[0]) errs.push(invalid('spec.clusterIPs[0]', goStringSlice(next), 'may not change once set'));
  } else if (prev.length > 0 && next[0] !== prev[0]) {
    errs.push(invalid('spec.clusterIPs[0]', goStringSlice(next), 'may not change once set'));
  }
  return errs;
}

/**
 * One validation serves main and status updates here; upstream checks status.loadBalancer in the
 * status strategy only, so it is checked when it changes (a main update carries the stored one).
 */
export function validateServiceUpdate(svc: Obj, old: Obj): FieldError[] {
  const lb = rec(rec(svc['status'])?.['loadBalancer']) ?? {};
  const oldLb = rec(rec(old['status'])?.['loadBalancer']) ?? {};
  return [
    ...validateObjectMetaUpdate(rec(svc['metadata']), rec(old['metadata'])),
    ...validateClusterIPUpdate(rec(svc['spec']) ?? {}, rec(old['spec']) ?? {}),
    ...validateService(svc),
    ...(deepEqual(lb, oldLb) ? [] : validateLoadBalancerStatus(lb, rec(svc['spec']) ?? {})),
  ];
}
