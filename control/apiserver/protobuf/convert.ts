/**
 * Converts a decoded protobufjs message to the object's JSON form, the way the Go types marshal:
 * special wrapper messages (Time, IntOrString, Quantity, RawExtension, FieldsV1) become scalars,
 * Go-inlined members are flattened, int64 becomes number, bytes become base64, and `omitempty`
 * is imitated by dropping "" and empty lists and maps, and 0 and false of the scalars that are plain
 * (not pointer) Go fields, which gogo always writes (pointer-fields.ts). Empty messages are kept.
 */
import type { Field, Type } from 'protobufjs';
import { isPointerField } from './pointer-fields.js';

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
const FIELDS_V1 = `${META}.FieldsV1`;
const INT_OR_STRING = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';
const RAW_EXTENSION = '.k8s.io.apimachinery.pkg.runtime.RawExtension';
/** A []string wrapped for proto maps (spec.extra, user.extra): one per group that has it. */
const isExtraValue = (type: Type): boolean => type.name === 'ExtraValue' && type.fullName.startsWith('.k8s.io.api.');

/** Proto field names gogo derived differently from the JSON name (Go field UID -> proto uID). */
const JSON_NAMES: Readonly<Record<string, string>> = { 'BoundObjectReference.uID': 'uid', 'IngressClassParametersReference.aPIGroup': 'apiGroup' };
export const jsonName = (parent: Type, field: Field): string => JSON_NAMES[`${parent.name}.${field.name}`] ?? field.name;

/** Members embedded with `json:",inline"` in Go: their fields belong to the parent object. */
const INLINE_MEMBERS = new Set([
  'Probe.handler', 'Volume.volumeSource', 'EphemeralContainer.ephemeralContainerCommon', 'IngressRule.ingressRuleValue',
  'PersistentVolumeSpec.persistentVolumeSource', 'RuleWithOperations.rule',
]);
export const isInline = (parent: Type, field: Field): boolean =>
  field.name === 'localObjectReference' || INLINE_MEMBERS.has(`${parent.name}.${field.name}`);

type Decoded = Record<string, unknown>;

const isRecord = (v: unknown): v is Decoded => typeof v === 'object' && v !== null;

/** int64 values arrive as Long objects (or numbers); JSON wants a number. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (isRecord(v) && typeof v['toNumber'] === 'function') {
    const n: unknown = (v['toNumber'] as () => unknown).call(v);
    if (typeof n === 'number') return n;
  }
  return Number(v);
}

const toBase64 = (v: unknown): string => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : '');

function formatTime(seconds: number, nanos: number, micro: boolean): string {
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

function parseRaw(raw: unknown): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown;
}

/** The JSON value of a special wrapper message, or NOT_SPECIAL for a plain message. */
const NOT_SPECIAL = Symbol('not-special');
function specialValue(type: Type, msg: Decoded): unknown {
  switch (type.fullName) {
    case TIME:
    case MICRO_TIME: {
      const seconds = toNumber(msg['seconds'] ?? 0);
      const nanos = toNumber(msg['nanos'] ?? 0);
      if (seconds === 0 && nanos === 0) return undefined;
      return formatTime(seconds, nanos, type.fullName === MICRO_TIME);
    }
    case INT_OR_STRING:
      return toNumber(msg['type'] ?? 0) === 1 ? String(msg['strVal'] ?? '') : toNumber(msg['intVal'] ?? 0);
    case QUANTITY:
      return String(msg['string'] ?? '');
    case RAW_EXTENSION:
      return parseRaw(msg['raw']);
    case FIELDS_V1:
      return parseRaw(msg['Raw']);
    default:
      if (isExtraValue(type)) return Array.isArray(msg['items']) ? msg['items'] : [];
      return NOT_SPECIAL;
  }
}

/** Converts one element (scalar or message) of a field. */
function convertValue(field: Field, value: unknown): unknown {
  const rt = field.resolvedType;
  if (rt && 'fieldsArray' in rt) return isRecord(value) ? convertMessage(rt, value) : undefined;
  if (field.type === 'bytes') return toBase64(value);
  if (field.type === 'int64' || field.type === 'uint64' || field.type === 'sint64'
    || field.type === 'fixed64' || field.type === 'sfixed64') return toNumber(value);
  return value;
}

/** Go omitempty, as applied to what gogo put on the wire. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

export function convertMessage(type: Type, msg: Decoded): unknown {
  const special = specialValue(type, msg);
  if (special !== NOT_SPECIAL) return special;
  const out: Decoded = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(msg, field.name)) continue;
    const raw = msg[field.name];
    let value: unknown;
    if (field.map) {
      if (!isRecord(raw) || Object.keys(raw).length === 0) continue;
      const m: Decoded = {};
      for (const [k, v] of Object.entries(raw)) m[k] = convertValue(field, v);
      value = m;
    } else if (field.repeated) {
      value = Array.isArray(raw) ? raw.map((v) => convertValue(field, v)) : [];
    } else {
      value = convertValue(field, raw);
      // a plain Go scalar at its zero value: what JSON would omit and defaulting treats as unset
      if ((value === 0 || value === false) && !field.resolvedType && !isPointerField(type.fullName, field.name)) continue;
    }
    if (isEmpty(value)) continue;
    if (isInline(type, field) && isRecord(value) && !Array.isArray(value)) Object.assign(out, value);
    else out[jsonName(type, field)] = value;
  }
  return out;
}
