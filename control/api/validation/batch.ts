/** Job and CronJob validation (pkg/apis/batch/validation). */
import type { FieldError } from '../status.js';
import { GoRaw, goStringMap, immutable, invalid, nonNegative, notSupported, required } from './field-errors.js';
import { CronParseError, parseCron } from '../../util/cron/cron-spec.js';
import { selectorMatches, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSSubdomain } from './names.js';
import { deepEqual, num, optStr, rec, recs, str, strMap, type Obj } from './obj.js';
import { validatePodTemplateSpec } from './pod-spec.js';

const CRONJOB_NAME_MAX = 52;

/** validateJobSpec: the checks shared by Jobs and CronJob job templates; `p` is the spec path. */
function validateJobSpecCommon(spec: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    errs.push(...nonNegative(`${p}.${f}`, num(spec[f])));
  }
  const mode = optStr(spec['completionMode']);
  if (mode !== undefined) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(`${p}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed' && num(spec['completions']) === undefined) errs.push(required(`${p}.completions`, 'when completion mode is Indexed'));
  }
  const prp = optStr(spec['podReplacementPolicy']);
  if (prp !== undefined && prp !== 'TerminatingOrFailed' && prp !== 'Failed') {
    errs.push(notSupported(`${p}.podReplacementPolicy`, prp, ['TerminatingOrFailed', 'Failed']));
  }
  errs.push(...validatePodTemplateSpec(spec['template'], `${p}.template`));
  const rp = str(rec(rec(spec['template'])?.['spec'])?.['restartPolicy']);
  if (rp !== 'OnFailure' && rp !== 'Never') {
    errs.push(notSupported(`${p}.template.spec.restartPolicy`, rp, ['OnFailure', 'Never']));
  } else if (rp === 'OnFailure' && spec['podFailurePolicy'] !== undefined) {
    errs.push(invalid(`${p}.template.spec.restartPolicy`, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

function validateJobSpec(spec: Obj): FieldError[] {
  const errs = validateJobSpecCommon(spec, 'spec');
  const sel = rec(spec['selector']);
  if (!sel) errs.push(required('spec.selector'));
  else errs.push(...validateLabelSelector(sel, 'spec.selector'));
  if (sel) {
    const empty = Object.keys(rec(sel['matchLabels']) ?? {}).length + recs(sel['matchExpressions']).length === 0;
    if (empty) errs.push(required('spec.selector'));
    const labels = strMap(rec(rec(spec['template'])?.['metadata'])?.['labels']);
    if (!empty && !selectorMatches(sel, labels)) {
      errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
    }
  }
  return errs;
}

/** Go would print the whole PodTemplateSpec; a JSON rendering keeps the message readable. */
const templateValue = (t: unknown): GoRaw => new GoRaw(`core.PodTemplateSpec${JSON.stringify(t ?? {})}`);

export function validateJob(job: Obj, old?: Obj): FieldError[] {
  const spec = rec(job['spec']) ?? {};
  const errs = old
    ? validateObjectMetaUpdate(rec(job['metadata']), rec(old['metadata']))
    : validateObjectMeta(rec(job['metadata']), { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(...validateJobSpec(spec));
  if (old) {
    const oldSpec = rec(old['spec']) ?? {};
    if (!deepEqual(spec['completions'], oldSpec['completions'])) errs.push(immutable('spec.completions', num(spec['completions']) ?? null));
    if (!deepEqual(spec['selector'], oldSpec['selector'])) errs.push(immutable('spec.selector', new GoRaw(`&v1.LabelSelector${JSON.stringify(spec['selector'] ?? null)}`)));
    if (!deepEqual(spec['template'], oldSpec['template'])) errs.push(immutable('spec.template', templateValue(spec['template'])));
    if (!deepEqual(spec['completionMode'], oldSpec['completionMode'])) errs.push(immutable('spec.completionMode', optStr(spec['completionMode']) ?? null));
  }
  return errs;
}

/** robfig ParseStandard's complaint about a schedule, or undefined when it parses. */
function cronScheduleError(schedule: string): string | undefined {
  try {
    parseCron(schedule);
    return undefined;
  } catch (e) {
    if (e instanceof CronParseError) return e.message;
    throw e;
  }
}

function validateScheduleFormat(schedule: string, timeZone: unknown, allowTZ: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const err = cronScheduleError(schedule);
  if (err) errs.push(invalid(field, schedule, err));
  if (schedule.includes('TZ')) {
    if (!allowTZ) errs.push(invalid(field, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    else if (timeZone !== undefined && timeZone !== null) errs.push(invalid(field, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  }
  return errs;
}

function validateCronJobSpec(spec: Obj, oldSpec: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = str(spec['schedule']);
  if (!schedule) errs.push(required('spec.schedule'));
  else errs.push(...validateScheduleFormat(schedule, spec['timeZone'], str(oldSpec?.['schedule']).includes('TZ'), 'spec.schedule'));
  errs.push(...nonNegative('spec.startingDeadlineSeconds', num(spec['startingDeadlineSeconds'])));
  const cp = str(spec['concurrencyPolicy']);
  if (!cp) errs.push(required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  const jt = rec(spec['jobTemplate']) ?? {};
  const jspec = rec(jt['spec']) ?? {};
  errs.push(...validateJobSpecCommon(jspec, 'spec.jobTemplate.spec'));
  if (jspec['selector'] !== undefined) {
    errs.push(invalid('spec.jobTemplate.spec.selector', new GoRaw(`&v1.LabelSelector${JSON.stringify(jspec['selector'])}`), '`selector` will be auto-generated'));
  }
  if (jspec['manualSelector'] === true) errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...nonNegative('spec.successfulJobsHistoryLimit', num(spec['successfulJobsHistoryLimit'])));
  errs.push(...nonNegative('spec.failedJobsHistoryLimit', num(spec['failedJobsHistoryLimit'])));
  return errs;
}

export function validateCronJob(cj: Obj, old?: Obj): FieldError[] {
  const meta = rec(cj['metadata']);
  const errs = old
    ? validateObjectMetaUpdate(meta, rec(old['metadata']))
    : validateObjectMeta(meta, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const name = str(meta?.['name']);
  if (!old && name.length > CRONJOB_NAME_MAX) errs.push(invalid('metadata.name', name, `must be no more than ${CRONJOB_NAME_MAX} characters`));
  errs.push(...validateCronJobSpec(rec(cj['spec']) ?? {}, old ? rec(old['spec']) : undefined));
  return errs;
}
