/**
 * admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration and MutatingWebhookConfiguration
 * (upstream ValidateValidatingWebhookConfiguration / ValidateMutatingWebhookConfiguration, v1 rules:
 * sideEffects None|NoneOnDryRun, admissionReviewVersions required and naming a known version).
 */
import type { FieldError } from '../status.js';
import { duplicate, invalid, notSupported, required } from './field-errors.js';
import { validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain } from './names.js';
import { list, num, rec, recs, str, type Obj } from './obj.js';

const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'] as const;
const SCOPES = ['*', 'Cluster', 'Namespaced'] as const;
const FAILURE_POLICIES = ['Fail', 'Ignore'] as const;
const MATCH_POLICIES = ['Equivalent', 'Exact'] as const;
const SIDE_EFFECTS = ['None', 'NoneOnDryRun'] as const;
const REINVOCATION = ['IfNeeded', 'Never'] as const;
export const ADMISSION_REVIEW_VERSIONS = ['v1', 'v1beta1'] as const;

export function validateValidatingWebhookConfiguration(obj: Obj, old?: Obj): FieldError[] {
  return validateWebhookConfiguration(obj, old, false);
}

export function validateMutatingWebhookConfiguration(obj: Obj, old?: Obj): FieldError[] {
  return validateWebhookConfiguration(obj, old, true);
}

function validateWebhookConfiguration(obj: Obj, old: Obj | undefined, mutating: boolean): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(rec(obj['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(obj['metadata']), { namespaced: false, nameFn: nameIsDNSSubdomain });
  const seen = new Set<string>();
  recs(obj['webhooks']).forEach((hook, i) => {
    const p = `webhooks[${i}]`;
    const name = str(hook['name']);
    if (seen.has(name)) errs.push(duplicate(`${p}.name`, name));
    seen.add(name);
    errs.push(...validateWebhook(hook, p, mutating));
  });
  return errs;
}

/** IsFullyQualifiedName: a DNS subdomain with at least three segments. */
function fullyQualifiedName(field: string, name: string): FieldError[] {
  if (name === '') return [required(field)];
  const sub = isDNS1123Subdomain(name);
  if (sub.length > 0) return [invalid(field, name, sub.join(','))];
  if (name.split('.').length < 3) return [invalid(field, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

function validateWebhook(hook: Obj, p: string, mutating: boolean): FieldError[] {
  const errs = fullyQualifiedName(`${p}.name`, str(hook['name']));
  recs(hook['rules']).forEach((rule, j) => errs.push(...validateRule(rule, `${p}.rules[${j}]`)));
  const fp = hook['failurePolicy'];
  if (fp !== undefined && !FAILURE_POLICIES.includes(str(fp) as never)) errs.push(notSupported(`${p}.failurePolicy`, str(fp), FAILURE_POLICIES));
  const mp = hook['matchPolicy'];
  if (mp !== undefined && !MATCH_POLICIES.includes(str(mp) as never)) errs.push(notSupported(`${p}.matchPolicy`, str(mp), MATCH_POLICIES));
  const se = hook['sideEffects'];
  if (se === undefined || se === null) errs.push(required(`${p}.sideEffects`, `must specify one of ${SIDE_EFFECTS.join(', ')}`));
  else if (!SIDE_EFFECTS.includes(str(se) as never)) errs.push(notSupported(`${p}.sideEffects`, str(se), SIDE_EFFECTS));
  errs.push(...validateReviewVersions(list(hook['admissionReviewVersions']), `${p}.admissionReviewVersions`));
  const t = num(hook['timeoutSeconds']);
  if (t !== undefined && (t < 1 || t > 30)) errs.push(invalid(`${p}.timeoutSeconds`, t, 'the timeout value must be between 1 and 30 seconds'));
  if (hook['namespaceSelector'] !== undefined) errs.push(...validateLabelSelector(hook['namespaceSelector'], `${p}.namespaceSelector`));
  if (hook['objectSelector'] !== undefined) errs.push(...validateLabelSelector(hook['objectSelector'], `${p}.objectSelector`));
  const rp = hook['reinvocationPolicy'];
  if (mutating && rp !== undefined && !REINVOCATION.includes(str(rp) as never)) errs.push(notSupported(`${p}.reinvocationPolicy`, str(rp), REINVOCATION));
  errs.push(...validateClientConfig(rec(hook['clientConfig']), `${p}.clientConfig`));
  return errs;
}

function validateReviewVersions(versions: unknown[], field: string): FieldError[] {
  if (versions.length === 0) return [required(field, `must specify one of ${ADMISSION_REVIEW_VERSIONS.join(', ')}`)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let known = false;
  versions.forEach((v, i) => {
    const s = str(v);
    for (const m of isDNS1123Label(s)) errs.push(invalid(`${field}[${i}]`, s, m));
    if (seen.has(s)) errs.push(duplicate(`${field}[${i}]`, s));
    seen.add(s);
    if (ADMISSION_REVIEW_VERSIONS.includes(s as never)) known = true;
  });
  if (!known) errs.push(invalid(field, goList(versions.map(str)), `must include at least one of ${ADMISSION_REVIEW_VERSIONS.join(', ')}`));
  return errs;
}

const goList = (a: readonly string[]): string => `[${a.join(' ')}]`;

function validateRule(rule: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = list(rule['operations']).map(str);
  if (ops.length === 0) errs.push(required(`${p}.operations`));
  if (ops.length > 1 && ops.includes('*')) errs.push(invalid(`${p}.operations`, goList(ops), "if '*' is present, must not specify other operations"));
  ops.forEach((op, i) => { if (!OPERATIONS.includes(op as never)) errs.push(notSupported(`${p}.operations[${i}]`, op, OPERATIONS)); });
  for (const key of ['apiGroups', 'apiVersions'] as const) {
    const vals = list(rule[key]).map(str);
    if (vals.length === 0) errs.push(required(`${p}.${key}`));
    if (vals.length > 1 && vals.includes('*')) errs.push(invalid(`${p}.${key}`, goList(vals), "if '*' is present, must not specify other " + (key === 'apiGroups' ? 'API groups' : 'API versions')));
    if (key === 'apiVersions') vals.forEach((v, i) => { if (v === '') errs.push(required(`${p}.apiVersions[${i}]`)); });
  }
  errs.push(...validateResources(list(rule['resources']).map(str), `${p}.resources`));
  const scope = rule['scope'];
  if (scope !== undefined && scope !== null && !SCOPES.includes(str(scope) as never)) errs.push(notSupported(`${p}.scope`, str(scope), SCOPES));
  return errs;
}

/** upstream validateResources: "resource" or "resource/subresource", with '*' forms not mixed. */
function validateResources(resources: string[], field: string): FieldError[] {
  if (resources.length === 0) return [required(field)];
  const errs: FieldError[] = [];
  const subsByResource = new Map<string, Set<string>>();
  resources.forEach((r, i) => {
    if (r === '') { errs.push(required(`${field}[${i}]`)); return; }
    const [res = '', ...rest] = r.split('/');
    if (res === '') { errs.push(invalid(`${field}[${i}]`, r, 'must not be empty')); return; }
    const sub = rest.join('/');
    if (rest.length > 0 && sub === '') { errs.push(invalid(`${field}[${i}]`, r, 'must not be empty')); return; }
    const subs = subsByResource.get(res) ?? new Set<string>();
    subs.add(rest.length > 0 ? sub : '');
    subsByResource.set(res, subs);
  });
  const all = subsByResource.get('*');
  if (all?.has('') && resources.length > 1) errs.push(invalid(field, goList(resources), "if '*' is present, must not specify other resources"));
  if (all?.has('*') && [...subsByResource.keys()].length > 1) errs.push(invalid(field, goList(resources), "if '*/*' is present, must not specify other resources"));
  return errs;
}

function validateClientConfig(cc: Obj | undefined, p: string): FieldError[] {
  const url = cc?.['url'];
  const service = rec(cc?.['service']);
  const hasUrl = typeof url === 'string';
  if (hasUrl === (service !== undefined)) return [required(p, 'exactly one of url or service is required')];
  const errs: FieldError[] = [];
  const ca = cc?.['caBundle'];
  if (ca !== undefined && (typeof ca !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(ca))) errs.push(invalid(`${p}.caBundle`, '<bytes>', 'must be base64-encoded PEM'));
  if (hasUrl) return [...errs, ...validateWebhookUrl(`${p}.url`, url)];
  return [...errs, ...validateServiceReference(service as Obj, `${p}.service`)];
}

/** upstream ValidateWebhookURL(forceHttps=true). */
export function validateWebhookUrl(field: string, raw: string): FieldError[] {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    // the WHATWG parser refuses it: upstream's url.Parse would report a parse error too
    return [invalid(field, raw, 'url must be a valid URL')];
  }
  const errs: FieldError[] = [];
  if (u.protocol !== 'https:') errs.push(invalid(field, raw, "'https' is the only allowed URL scheme"));
  if (u.hostname === '') errs.push(invalid(field, raw, 'host must be specified'));
  if (u.username !== '' || u.password !== '') errs.push(invalid(field, raw, 'user information is not permitted in the URL'));
  if (raw.includes('#')) errs.push(invalid(field, raw, 'fragments are not permitted in the URL'));
  if (raw.includes('?')) errs.push(invalid(field, raw, 'query parameters are not permitted in the URL'));
  return errs;
}

function validateServiceReference(svc: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(svc['name']);
  const ns = str(svc['namespace']);
  if (name === '') errs.push(required(`${p}.name`, 'service name is required'));
  else for (const m of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, m));
  if (ns === '') errs.push(required(`${p}.namespace`, 'service namespace is required'));
  else for (const m of isDNS1123Label(ns)) errs.push(invalid(`${p}.namespace`, ns, m));
  const path = svc['path'];
  if (typeof path === 'string' && path !== '') errs.push(...validateServicePath(`${p}.path`, path));
  const port = num(svc['port']);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    errs.push(invalid(`${p}.port`, port, 'port is not valid: must be between 1 and 65535, inclusive'));
  }
  return errs;
}

/** upstream ValidateWebhookService's path checks. */
function validateServicePath(field: string, path: string): FieldError[] {
  if (!path.startsWith('/')) return [invalid(field, path, "must start with a '/'")];
  if (path === '/') return [];
  const errs: FieldError[] = [];
  const steps = path.slice(1).split('/');
  steps.forEach((step, i) => {
    if (step === '') errs.push(invalid(field, path, `segment[${i}] may not be empty`));
    else for (const m of isDNS1123Subdomain(step)) errs.push(invalid(field, path, `segment[${i}]: ${m}`));
  });
  return errs;
}
