/**
 * encodeProtobufBody: the inverse of decodeProtobufObject, for tests. It turns an object's JSON
 * form into the body a typed client sends ("k8s\0" + runtime.Unknown around the typed message),
 * using the same Root the server decodes with. A JSON key the message has no field for throws,
 * so a sample object cannot silently lose a field the schema lacks.
 */
import type { Field, Type } from 'protobufjs';
import { isInline, jsonName } from '../convert.js';
import { UNKNOWN_TYPE, k8sRoot, lookupKind } from '../schema.js';

type Plain = Record<string, unknown>;

const isRecord = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function parseTime(value: unknown): Plain {
  const text = String(value);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${text}`);
  const frac = /\.(\d+)Z$/.exec(text)?.[1] ?? '';
  return { seconds: Math.floor(ms / 1000), nanos: Number(frac.padEnd(9, '0').slice(0, 9)) };
}

/** The message form of a special wrapper type, or undefined for a plain message. */
function specialMessage(type: Type, value: unknown): Plain | undefined {
  switch (type.fullName.replace(/^\./, '')) {
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.Time':
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime':
      return parseTime(value);
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return typeof value === 'number' ? { type: 0, intVal: value } : { type: 1, strVal: String(value) };
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return { string: String(value) };
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
      return { raw: utf8(JSON.stringify(value)) };
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1':
      return { Raw: utf8(JSON.stringify(value)) };
    default:
      return type.name === 'ExtraValue' && Array.isArray(value) ? { items: value } : undefined;
  }
}

function toElement(field: Field, value: unknown, path: string): unknown {
  const rt = field.resolvedType;
  if (rt && 'fieldsArray' in rt) return toMessage(rt, value, path);
  if (field.type === 'bytes') return Buffer.from(String(value), 'base64');
  return value;
}

function toFieldValue(field: Field, value: unknown, path: string): unknown {
  if (field.map) {
    if (!isRecord(value)) throw new Error(`${path}: expected a map`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toElement(field, v, `${path}.${k}`)]));
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new Error(`${path}: expected a list`);
    return value.map((v, i) => toElement(field, v, `${path}[${i}]`));
  }
  return toElement(field, value, path);
}

/** The protobufjs plain object for a JSON value of `type`. */
export function toMessage(type: Type, value: unknown, path = type.name): Plain {
  const special = specialMessage(type, value);
  if (special) return special;
  if (!isRecord(value)) throw new Error(`${path}: expected an object for ${type.name}`);
  const out: Plain = {};
  const rest: Plain = { ...value };
  for (const field of type.fieldsArray) {
    const name = jsonName(type, field);
    if (isInline(type, field)) continue;
    if (!(name in rest)) continue;
    out[field.name] = toFieldValue(field, rest[name], `${path}.${name}`);
    delete rest[name];
  }
  for (const field of type.fieldsArray) {
    const rt = field.resolvedType;
    if (!isInline(type, field) || !rt || !('fieldsArray' in rt)) continue;
    const mine = rt.fieldsArray.map((f) => jsonName(rt, f)).filter((n) => n in rest);
    if (mine.length === 0) continue;
    out[field.name] = toMessage(rt, Object.fromEntries(mine.map((n) => [n, rest[n]])), `${path}(${field.name})`);
    for (const n of mine) delete rest[n];
  }
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new Error(`${path}: ${type.fullName} has no field for ${unknown.join(', ')}`);
  return out;
}

/** The body a typed client sends for `object` (its JSON form, without apiVersion and kind). */
export function encodeProtobufBody(apiVersion: string, kind: string, object: Plain): Uint8Array {
  const type = lookupKind(apiVersion, kind);
  if (!type) throw new Error(`no protobuf message for ${apiVersion} ${kind}`);
  const raw = type.encode(type.fromObject(toMessage(type, object, kind))).finish();
  const unknown = k8sRoot().lookupType(UNKNOWN_TYPE);
  const envelope = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...envelope]);
}
