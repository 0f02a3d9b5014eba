/** Deployment, ReplicaSet, DaemonSet (apps validation) and ReplicationController (core). */
import type { FieldError } from '../status.js';
import {
  GoRaw, forbidden, goLabelSelector, goQuote, goStringMap, immutable, invalid, nonNegative, notSupported, required,
  type SelectorRequirement,
} from './field-errors.js';
import { selectorMatches, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isValidPercent, nameIsDNSSubdomain } from './names.js';
import { deepEqual, num, rec, recs, str, strMap, type Obj } from './obj.js';
import { validatePodTemplateSpec } from './pod-spec.js';

export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'DaemonSet' | 'ReplicationController';

export function selectorValue(sel: Obj): GoRaw {
  const exprs = sel['matchExpressions'] === undefined ? undefined : recs(sel['matchExpressions']).map((e): SelectorRequirement => {
    const r: SelectorRequirement = { key: str(e['key']), operator: str(e['operator']) };
    if (Array.isArray(e['values'])) r.values = e['values'].map(String);
    return r;
  });
  const out: { matchLabels?: Record<string, string>; matchExpressions?: SelectorRequirement[] } = {};
  const ml = strMap(sel['matchLabels']);
  if (ml) out.matchLabels = ml;
  if (exprs) out.matchExpressions = exprs;
  return goLabelSelector(out);
}

/** IntOrString prints through its String() method: ints as numbers, strings unquoted. */
export const intOrStringValue = (v: unknown): GoRaw => new GoRaw(typeof v === 'number' ? String(v) : str(v));

export function intOrPercent(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = str(v);
  return s.endsWith('%') ? Number(s.slice(0, -1)) : Number(s);
}

export function validatePositiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    const msgs = isValidPercent(v);
    if (msgs.length) return msgs.map((m) => invalid(field, intOrStringValue(v), m));
    return intOrPercent(v) < 0 ? [invalid(field, intOrPercent(v), 'must be greater than or equal to 0')] : [];
  }
  return typeof v === 'number' && v < 0 ? [invalid(field, v, 'must be greater than or equal to 0')] : [];
}

function validateRollingUpdate(ru: Obj, field: string): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(ru['maxUnavailable'], `${field}.maxUnavailable`),
    ...validatePositiveIntOrPercent(ru['maxSurge'], `${field}.maxSurge`),
  ];
  if (intOrPercent(ru['maxUnavailable'] ?? 0) === 0 && intOrPercent(ru['maxSurge'] ?? 0) === 0) {
    errs.push(invalid(`${field}.maxUnavailable`, intOrStringValue(ru['maxUnavailable'] ?? 0), 'may not be 0 when `maxSurge` is 0'));
  }
  const mu = ru['maxUnavailable'];
  if (typeof mu === 'string' && isValidPercent(mu).length === 0 && intOrPercent(mu) > 100) {
    errs.push(invalid(`${field}.maxUnavailable`, intOrStringValue(mu), 'must not be greater than 100%'));
  }
  return errs;
}

function validateStrategy(kind: WorkloadKind, spec: Obj): FieldError[] {
  if (kind === 'Deployment') {
    const s = rec(spec['strategy']) ?? {};
    const type = str(s['type']);
    const ru = rec(s['rollingUpdate']);
    if (type === 'Recreate') return ru ? [forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")] : [];
    if (type === 'RollingUpdate') {
      return ru ? validateRollingUpdate(ru, 'spec.strategy.rollingUpdate') : [required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil')];
    }
    return [notSupported('spec.strategy', new GoRaw(`apps.DeploymentStrategy{Type:${goQuote(type)}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`), ['Recreate', 'RollingUpdate'])];
  }
  if (kind === 'DaemonSet') {
    const s = rec(spec['updateStrategy']) ?? {};
    const type = str(s['type']);
    if (type === 'OnDelete') return [];
    if (type === 'RollingUpdate') {
      const ru = rec(s['rollingUpdate']);
      return ru ? validateRollingUpdate(ru, 'spec.updateStrategy.rollingUpdate') : [required('spec.updateStrategy.rollingUpdate')];
    }
    return [notSupported('spec.updateStrategy', new GoRaw(`apps.DaemonSetUpdateStrategy{Type:${goQuote(type)}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}`), ['RollingUpdate', 'OnDelete'])];
  }
  return [];
}

const MISMATCH = '`selector` does not match template `labels`';

function templateLabels(spec: Obj): Record<string, string> | undefined {
  return strMap(rec(rec(spec['template'])?.['metadata'])?.['labels']);
}

/** The controller template checks shared by all four kinds (restartPolicy Always, no deadline). */
function validateControllerTemplate(kind: WorkloadKind, spec: Obj): FieldError[] {
  const errs = validatePodTemplateSpec(spec['template'], 'spec.template');
  const tspec = rec(rec(spec['template'])?.['spec']) ?? {};
  const rp = str(tspec['restartPolicy']);
  if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (tspec['activeDeadlineSeconds'] !== undefined && tspec['activeDeadlineSeconds'] !== null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

function validateRCSpec(spec: Obj): FieldError[] {
  const errs = nonNegative('spec.minReadySeconds', num(spec['minReadySeconds']));
  const selector = strMap(spec['selector']) ?? {};
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  errs.push(...nonNegative('spec.replicas', num(spec['replicas'])));
  if (!rec(spec['template'])) return [...errs, required('spec.template')];
  const labels = templateLabels(spec);
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels?.[k] === v)) {
    errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), MISMATCH));
  }
  return [...errs, ...validateControllerTemplate('ReplicationController', spec)];
}

function validateAppsSpec(kind: Exclude<WorkloadKind, 'ReplicationController'>, spec: Obj): FieldError[] {
  const errs: FieldError[] = kind === 'DaemonSet' ? [] : nonNegative('spec.replicas', num(spec['replicas']));
  const sel = rec(spec['selector']);
  if (!sel && kind !== 'DaemonSet') errs.push(required('spec.selector'));
  if (sel) {
    errs.push(...validateLabelSelector(sel, 'spec.selector'));
    if (Object.keys(rec(sel['matchLabels']) ?? {}).length + recs(sel['matchExpressions']).length === 0) {
      errs.push(invalid('spec.selector', selectorValue(sel), `empty selector is invalid for ${kind === 'DaemonSet' ? 'daemonset' : 'deployment'}`));
    }
  }
  const labels = templateLabels(spec);
  const emptySelector = sel !== undefined && Object.keys(rec(sel['matchLabels']) ?? {}).length + recs(sel['matchExpressions']).length === 0;
  if (!emptySelector && !selectorMatches(sel, labels)) {
    errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), MISMATCH));
  }
  errs.push(...validateControllerTemplate(kind, spec));
  errs.push(...validateStrategy(kind, spec));
  errs.push(...nonNegative('spec.minReadySeconds', num(spec['minReadySeconds'])));
  errs.push(...nonNegative('spec.revisionHistoryLimit', num(spec['revisionHistoryLimit'])));
  const pds = num(spec['progressDeadlineSeconds']);
  if (kind === 'Deployment' && pds !== undefined) {
    errs.push(...nonNegative('spec.progressDeadlineSeconds', pds));
    if (pds <= (num(spec['minReadySeconds']) ?? 0)) errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateWorkload(kind: WorkloadKind, o: Obj, old?: Obj): FieldError[] {
  const spec = rec(o['spec']) ?? {};
  const errs = old
    ? validateObjectMetaUpdate(rec(o['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(o['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(...(kind === 'ReplicationController' ? validateRCSpec(spec) : validateAppsSpec(kind, spec)));
  if (old && kind !== 'ReplicationController') {
    const oldSel = rec(rec(old['spec'])?.['selector']);
    const sel = rec(spec['selector']);
    if (!deepEqual(sel, oldSel)) errs.push(immutable('spec.selector', selectorValue(sel ?? {})));
  }
  return errs;
}
