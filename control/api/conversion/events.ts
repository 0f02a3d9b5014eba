/**
 * events.k8s.io/v1 Event over the stored core/v1 Events, with upstream's field mapping
 * (pkg/apis/events/v1 conversion) and the validation upstream adds for events.k8s.io/v1 requests
 * (ValidateEventCreate / ValidateEventUpdate beyond the legacy checks).
 */
import type { KubeObject } from '../object.js';
import type { FieldError } from '../status.js';
import { immutable, invalid, required } from '../validation/field-errors.js';
import { isQualifiedName } from '../validation/names.js';
import { deepEqual, num, rec, str, type Obj } from '../validation/obj.js';
import type { StoredView } from './view.js';

/** [events.k8s.io/v1 field, core/v1 field]; every other field has the same name in both. */
const RENAMED: ReadonlyArray<readonly [string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SAME = ['metadata', 'eventTime', 'series', 'reportingInstance', 'action', 'reason', 'related', 'type'];

function mapFields(obj: Obj, apiVersion: string, pairs: ReadonlyArray<readonly [string, string]>): KubeObject {
  const out: Obj = { apiVersion, kind: 'Event' };
  for (const k of SAME) if (obj[k] !== undefined) out[k] = obj[k];
  for (const [from, to] of pairs) if (obj[from] !== undefined) out[to] = obj[from];
  return out as KubeObject;
}

const TO_CORE = RENAMED;
const TO_EVENTS = RENAMED.map(([a, b]) => [b, a] as const);

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

function validateSeries(ev: Obj): FieldError[] {
  const series = rec(ev['series']);
  if (!series) return [];
  const errs: FieldError[] = [];
  if ((num(series['count']) ?? 0) < 2) errs.push(invalid('series.count', '', 'should be at least 2'));
  if (!series['lastObservedTime']) errs.push(required('series.lastObservedTime'));
  return errs;
}

/** The legacy checks of an Event with eventTime set, under their events.k8s.io names. */
function validateReporting(ev: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ns = str(rec(ev['metadata'])?.['namespace']);
  if (!str(rec(ev['involvedObject'])?.['namespace']) && ns !== 'default' && ns !== 'kube-system') {
    errs.push(invalid('involvedObject.namespace', '', 'does not match event.namespace'));
  }
  const controller = str(ev['reportingComponent']);
  if (!controller) errs.push(required('reportingController'));
  errs.push(...isQualifiedName(controller).map((m) => invalid('reportingController', controller, m)));
  const instance = str(ev['reportingInstance']);
  if (!instance) errs.push(required('reportingInstance'));
  if (instance.length > REPORTING_INSTANCE_LIMIT) errs.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
  const action = str(ev['action']);
  if (!action) errs.push(required('action'));
  if (action.length > ACTION_LIMIT) errs.push(invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
  const reason = str(ev['reason']);
  if (!reason) errs.push(required('reason'));
  if (reason.length > REASON_LIMIT) errs.push(invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
  if (str(ev['message']).length > NOTE_LIMIT) errs.push(invalid('note', '', `can have at most ${NOTE_LIMIT} characters`));
  return errs;
}

function validateCreate(ev: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!ev['eventTime']) errs.push(required('eventTime'));
  else errs.push(...validateReporting(ev));
  errs.push(...validateSeries(ev));
  const type = str(ev['type']);
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${type}`));
  if (ev['firstTimestamp']) errs.push(invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (ev['lastTimestamp']) errs.push(invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (ev['count']) errs.push(invalid('deprecatedCount', '', 'needs to be unset'));
  const source = rec(ev['source']);
  if (str(source?.['component']) || str(source?.['host'])) errs.push(invalid('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

/** Fields an events.k8s.io/v1 update may not change, by their events.k8s.io names. */
const IMMUTABLE: ReadonlyArray<readonly [string, string]> = [
  ['regarding', 'involvedObject'], ['reason', 'reason'], ['type', 'type'], ['eventTime', 'eventTime'], ['action', 'action'],
  ['related', 'related'], ['reportingController', 'reportingComponent'], ['reportingInstance', 'reportingInstance'],
];

function validateUpdate(ev: Obj, old: Obj): FieldError[] {
  const errs = ev['eventTime'] ? validateReporting(ev) : [];
  if (!deepEqual(ev['series'], old['series'])) errs.push(...validateSeries(ev));
  for (const [name, field] of IMMUTABLE) {
    if (!deepEqual(ev[field], old[field])) errs.push(immutable(name, typeof ev[field] === 'string' ? str(ev[field]) : undefined));
  }
  return errs;
}

export const EVENTS_V1_VIEW: StoredView = {
  external: { group: 'events.k8s.io', version: 'v1', resource: 'events' },
  internal: { group: '', version: 'v1', resource: 'events' },
  toInternal: (obj) => mapFields(obj, 'v1', TO_CORE),
  toExternal: (obj) => mapFields(obj, 'events.k8s.io/v1', TO_EVENTS),
  fieldLabel: (label) => {
    if (label.startsWith('regarding.')) return `involvedObject.${label.slice('regarding.'.length)}`;
    return label === 'reportingController' ? 'reportingComponent' : label;
  },
  validate: (obj, old) => (old ? validateUpdate(obj, old) : validateCreate(obj)),
};
