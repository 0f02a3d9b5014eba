/**
 * Decode-time type checks against the generated schemas: what Go's encoding/json refuses when the
 * apiserver decodes a body into the kind's struct (an object where a string is declared, a number
 * as an annotation value, 1.5 as an int32), worded as upstream words it:
 * `json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string`.
 *
 * As Go's decoder does: null fits every field; the field path names struct fields from the root
 * (map keys and list indexes are not part of it); the struct is the innermost one holding the
 * field; the first mismatch in document order is reported. Types Go decodes by hand keep their
 * own messages (Quantity, IntOrString, Time). Named string types (NodeAddressType, …) are not in
 * the schema and print as `string`. Fields the schema does not declare are left to strict
 * field validation.
 */
import type { ApiError, FieldError } from '../../api/status.js';
import { badRequest, invalid } from '../../api/status.js';
import type { Schema } from './schemas.js';
import { SCHEMAS, refName, resolveSchema, schemaNameFor } from './schemas.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const FREE_FORM = new Set([`${META}FieldsV1`]);
const TIMES = new Set([`${META}Time`, `${META}MicroTime`]);
const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const INT_RANGE: Record<string, [number, number]> = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] };

interface Where { struct: string; fields: readonly string[] }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** encoding/json's name for the kind of a JSON value. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string, number
}

/** The Go type a schema decodes into, as reflect prints it: v1.NodeAddress, []string, map[string]int32. */
function goTypeName(s: Schema): string {
  const name = refName(s);
  if (name !== undefined) {
    if (name === QUANTITY) return 'resource.Quantity';
    if (name === INT_OR_STRING) return 'intstr.IntOrString';
    const parts = name.split('.');
    return `${parts[parts.length - 2] ?? ''}.${parts[parts.length - 1] ?? name}`;
  }
  if (s.type === 'array') return `[]${s.items ? goTypeName(s.items) : 'interface {}'}`;
  if (s.type === 'object') return s.additionalProperties ? `map[string]${goTypeName(s.additionalProperties)}` : 'map[string]interface {}';
  if (s.type === 'string') return s.format === 'byte' ? '[]uint8' : 'string';
  if (s.type === 'integer') return s.format === 'int32' ? 'int32' : 'int64';
  if (s.type === 'number') return 'float64';
  if (s.type === 'boolean') return 'bool';
  return 'interface {}';
}

function mismatch(value: string, where: Where, type: string): string {
  return where.fields.length === 0
    ? `json: cannot unmarshal ${value} into Go value of type ${type}`
    : `json: cannot unmarshal ${value} into Go struct field ${where.struct}.${where.fields.join('.')} of type ${type}`;
}

/** A number an integer field cannot hold (fraction, out of range) is reported with its text. */
function intMismatch(v: number, format: string | undefined): boolean {
  const [min, max] = INT_RANGE[format ?? 'int64'] ?? (INT_RANGE['int64'] as [number, number]);
  return !Number.isInteger(v) || v < min || v > max;
}

function check(schemaIn: Schema, value: unknown, where: Where): string | undefined {
  if (value === null || value === undefined) return undefined;
  const name = refName(schemaIn);
  if (name !== undefined && FREE_FORM.has(name)) return undefined;
  if (name === QUANTITY) return typeof value === 'string' || typeof value === 'number' ? undefined : QUANTITY_FORMAT;
  if (name === INT_OR_STRING) {
    if (typeof value === 'string') return undefined;
    if (typeof value === 'number') return intMismatch(value, 'int32') ? `json: cannot unmarshal number ${value} into Go value of type int32` : undefined;
    return `json: cannot unmarshal ${jsonKind(value)} into Go value of type int32`;
  }
  if (name !== undefined && TIMES.has(name)) {
    return typeof value === 'string' ? undefined : `json: cannot unmarshal ${jsonKind(value)} into Go value of type string`;
  }
  const schema = resolveSchema(schemaIn);
  if (!schema) return undefined;
  const type = goTypeName(schemaIn);
  switch (schema.type) {
    case 'object': {
      if (!isObject(value)) return mismatch(jsonKind(value), where, type);
      if (schema.properties) {
        const struct = name === undefined ? where.struct : name.slice(name.lastIndexOf('.') + 1);
        for (const [key, v] of Object.entries(value)) {
          const prop = schema.properties[key];
          const found = prop && check(prop, v, { struct, fields: [...where.fields, key] });
          if (found) return found;
        }
      } else if (schema.additionalProperties) {
        for (const v of Object.values(value)) {
          const found = check(schema.additionalProperties, v, where);
          if (found) return found;
        }
      }
      return undefined;
    }
    case 'array': {
      if (!Array.isArray(value)) return mismatch(jsonKind(value), where, type);
      for (const v of value) {
        const found = schema.items && check(schema.items, v, where);
        if (found) return found;
      }
      return undefined;
    }
    case 'string': return typeof value === 'string' ? undefined : mismatch(jsonKind(value), where, type);
    case 'boolean': return typeof value === 'boolean' ? undefined : mismatch(jsonKind(value), where, type);
    case 'number': return typeof value === 'number' ? undefined : mismatch(jsonKind(value), where, type);
    case 'integer':
      if (typeof value !== 'number') return mismatch(jsonKind(value), where, type);
      return intMismatch(value, schema.format) ? mismatch(`number ${value}`, where, type) : undefined;
    default: return undefined;
  }
}

/**
 * The first value in `obj` whose JSON type the kind's Go struct cannot take, as encoding/json words
 * it; undefined when every declared field fits or the kind has no schema. Top-level apiVersion and
 * kind are checked elsewhere (the kind's own decode errors).
 */
export function findTypeError(apiVersion: string, kind: string, obj: unknown): string | undefined {
  const name = schemaNameFor(apiVersion, kind);
  const schema = name === undefined ? undefined : SCHEMAS[name];
  if (!schema || !isObject(obj)) return undefined;
  const struct = kind;
  for (const [key, v] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    const prop = schema.properties?.[key];
    const found = prop && check(prop, v, { struct, fields: [key] });
    if (found) return found;
  }
  return undefined;
}

/**
 * 400 for a created or replaced object, as upstream's create/update handlers word a decode failure:
 * `Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal …`.
 */
export function typeDecodingError(kind: string, version: string, detail: string): ApiError {
  const v = version.slice(version.lastIndexOf('/') + 1);
  return badRequest(`${kind} in version "${v}" cannot be handled as a ${kind}: ${detail}`);
}

/**
 * 422 for a patched object that no longer decodes, as upstream's patch handler words it: an Invalid
 * with no kind or name whose one cause is `patch: Invalid value: "<patched object>": <detail>`.
 */
export function patchDecodingError(patched: unknown, detail: string): ApiError {
  const cause: FieldError = { type: 'FieldValueInvalid', field: 'patch', message: `Invalid value: ${JSON.stringify(JSON.stringify(patched))}: ${detail}` };
  return invalid('', { group: '', resource: '' }, '', [cause]);
}
