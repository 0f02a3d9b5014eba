/**
 * Node validation (core ValidateNode + ValidateNodeUpdate, which upstream's strategy runs together
 * on update). Upstream checks no node address values, only duplicates on update: an address is
 * refused where it is used (routes, LB ingress, rules), not here.
 */
import type { FieldError } from '../status.js';
import { GoRaw, duplicate, forbidden, goQuote, goStringSlice, invalid, notSupported, required } from './field-errors.js';
import { cidrFamily, isValidCIDR } from './ip.js';
import { validateLabelName, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isLabelValue, nameIsDNSSubdomain } from './names.js';
import { list, rec, recs, str, type Obj } from './obj.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const PODCIDRS = 'spec.podCIDRs';
const CIDR_CHANGE = 'node updates may not change podCIDR except from "" to valid';

function validateTaints(taints: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  recs(taints).forEach((t, i) => {
    const p = `${field}[${i}]`;
    const key = str(t['key']);
    const value = str(t['value']);
    const effect = str(t['effect']);
    errs.push(...validateLabelName(key, `${p}.key`));
    const msgs = isLabelValue(value);
    if (msgs.length) errs.push(invalid(`${p}.value`, value, msgs.join(';')));
    if (!effect) errs.push(required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${p}.effect`, effect, TAINT_EFFECTS));
    if (seen.has(`${effect}/${key}`)) {
      const e = duplicate(p, new GoRaw(`core.Taint{Key:${goQuote(key)}, Value:${goQuote(value)}, Effect:${goQuote(effect)}, TimeAdded:(*v1.Time)(nil)}`));
      errs.push({ ...e, message: `${e.message}: taints must be unique by key and effect pair` });
    } else seen.add(`${effect}/${key}`);
  });
  return errs;
}

/** spec.podCIDRs, or the v1 spec.podCIDR alone (what upstream's conversion makes podCIDRs of). */
const podCIDRsOf = (spec: Obj): string[] => {
  const cidrs = list(spec['podCIDRs']).map(str);
  const single = str(spec['podCIDR']);
  return cidrs.length > 0 ? cidrs : single ? [single] : [];
};

function validatePodCIDRs(spec: Obj): FieldError[] {
  const cidrs = podCIDRsOf(spec);
  const errs = cidrs.flatMap((c, i) => isValidCIDR(`${PODCIDRS}[${i}]`, c));
  // tinykube keeps the v1 singular field as sent, and the agent reads it: it must be a CIDR too
  const single = str(spec['podCIDR']);
  if (single && single !== cidrs[0]) errs.push(...isValidCIDR('spec.podCIDR', single));
  if (cidrs.length > 1) {
    const families = cidrs.map(cidrFamily);
    const dualStack = cidrs.length === 2 && families.every((f) => f !== undefined) && families[0] !== families[1];
    if (!dualStack) errs.push(invalid(PODCIDRS, goStringSlice(cidrs), 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => { if (seen.has(c)) errs.push(duplicate(`${PODCIDRS}[${i}]`, c)); seen.add(c); });
  }
  return errs;
}

function validateNodeUpdate(spec: Obj, status: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  recs(status['addresses']).forEach((a, i) => {
    const key = `core.NodeAddress{Type:${goQuote(str(a['type']))}, Address:${goQuote(str(a['address']))}}`;
    if (seen.has(key)) errs.push(duplicate(`status.addresses[${i}]`, new GoRaw(key)));
    seen.add(key);
  });
  const oldSpec = rec(old['spec']) ?? {};
  const oldCIDRs = podCIDRsOf(oldSpec);
  const cidrs = podCIDRsOf(spec);
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== cidrs.length) errs.push(forbidden(PODCIDRS, CIDR_CHANGE));
    else oldCIDRs.forEach((c, i) => { if (c !== cidrs[i]) errs.push(forbidden(PODCIDRS, CIDR_CHANGE)); });
  }
  const oldSingle = str(oldSpec['podCIDR']);
  if (oldSingle && oldSingle !== str(spec['podCIDR'])) errs.push(forbidden(PODCIDRS, CIDR_CHANGE));
  const oldProvider = str(oldSpec['providerID']);
  if (oldProvider && oldProvider !== str(spec['providerID'])) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

export function validateNode(node: Obj, old?: Obj): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(rec(node['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(node['metadata']), { namespaced: false, nameFn: nameIsDNSSubdomain });
  const spec = rec(node['spec']) ?? {};
  // upstream roots the taint path at metadata (fldPath is "metadata" there)
  errs.push(...validateTaints(spec['taints'], 'metadata.taints'));
  const status = rec(node['status']) ?? {};
  for (const section of ['capacity', 'allocatable']) {
    for (const [k, v] of Object.entries(rec(status[section]) ?? {})) {
      if (typeof v === 'string' && v.startsWith('-')) errs.push(invalid(`status.${section}.${k}`, v, 'must be greater than or equal to 0'));
    }
  }
  errs.push(...validatePodCIDRs(spec));
  if (old) errs.push(...validateNodeUpdate(spec, status, old));
  return errs;
}
