/**
 * Validation of a custom resource against its version's structural schema, with upstream's
 * (kube-openapi) wording: `spec.replicas: Invalid value: "string": spec.replicas in body must be of
 * type integer: "string"`, `spec.size: Required value`, `spec.mode: Unsupported value: "x": supported
 * values: "a", "b"`. The root's apiVersion, kind and metadata are not checked here (metadata is
 * validated as ObjectMeta). PURE.
 */
import type { FieldError } from '../../../api/status.js';
import { compilePattern } from './pattern.js';
import type { Schema } from './schema.js';
import { additionalOf, isPlainObject, itemsOf } from './schema.js';

export function validateValue(schema: Schema, obj: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const rootValue: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') rootValue[k] = v;
  const rootSchema: Schema = { ...schema, required: (schema.required ?? []).filter((r) => r !== 'apiVersion' && r !== 'kind' && r !== 'metadata') };
  if (isPlainObject(rootSchema.properties)) {
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = rootSchema.properties;
    rootSchema.properties = rest;
  }
  check(rootSchema, rootValue, '', errs);
  return errs;
}

/** The Go-ish type name upstream prints for a JSON value. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(typeName(v)));
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const body = (path: string): string => path || 'body';

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'object': return isPlainObject(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    default: return true;
  }
}

function check(s: Schema, v: unknown, path: string, errs: FieldError[]): void {
  const field = path || '<root>';
  if (v === null) {
    if (s.nullable === true || s['x-kubernetes-preserve-unknown-fields'] === true && s.type === undefined) return;
    if (s.type) errs.push({ type: 'FieldValueTypeInvalid', field, message: `Invalid value: "null": ${body(path)} in body must be of type ${s.type}: "null"` });
    return;
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) {
      errs.push({ type: 'FieldValueTypeInvalid', field, message: `Invalid value: ${show(v)}: ${body(path)} in body must be of type integer,string: ${JSON.stringify(typeName(v))}` });
      return;
    }
  } else if (s.type && !typeMatches(s.type, v)) {
    errs.push({ type: 'FieldValueTypeInvalid', field, message: `Invalid value: ${JSON.stringify(typeName(v))}: ${body(path)} in body must be of type ${s.type}: ${JSON.stringify(typeName(v))}` });
    return;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    errs.push({ type: 'FieldValueNotSupported', field, message: `Unsupported value: ${show(v)}: supported values: ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof v === 'number') checkNumber(s, v, path, errs);
  if (typeof v === 'string') checkString(s, v, path, errs);
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${v.length}: ${body(path)} in body should have at least ${s.minItems} items` });
    if (s.maxItems !== undefined && v.length > s.maxItems) errs.push({ type: 'FieldValueTooMany', field, message: `Too many: ${v.length}: must have at most ${s.maxItems} items` });
    const it = itemsOf(s);
    if (it) v.forEach((x, i) => check(it, x, `${path}[${i}]`, errs));
  }
  if (isPlainObject(v)) {
    const n = Object.keys(v).length;
    if (s.minProperties !== undefined && n < s.minProperties) errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${n}: ${body(path)} in body should have at least ${s.minProperties} properties` });
    if (s.maxProperties !== undefined && n > s.maxProperties) errs.push({ type: 'FieldValueTooMany', field, message: `Too many: ${n}: must have at most ${s.maxProperties} items` });
    for (const r of s.required ?? []) {
      if (!(r in v)) errs.push({ type: 'FieldValueRequired', field: join(path, r), message: 'Required value' });
    }
    const ap = additionalOf(s);
    for (const [k, x] of Object.entries(v)) {
      const p = s.properties?.[k];
      if (isPlainObject(p)) check(p as Schema, x, join(path, k), errs);
      else if (ap) check(ap, x, join(path, k), errs);
    }
  }
  combinators(s, v, path, errs);
}

function checkNumber(s: Schema, v: number, path: string, errs: FieldError[]): void {
  const field = path || '<root>';
  if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
    errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${v}: ${body(path)} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}` });
  }
  if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
    errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${v}: ${body(path)} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}` });
  }
  if (s.multipleOf !== undefined && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) {
    errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${v}: ${body(path)} in body should be a multiple of ${s.multipleOf}` });
  }
}

function checkString(s: Schema, v: string, path: string, errs: FieldError[]): void {
  const field = path || '<root>';
  const len = [...v].length;
  if (s.minLength !== undefined && len < s.minLength) errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(v)}: ${body(path)} in body should be at least ${s.minLength} chars long` });
  if (s.maxLength !== undefined && len > s.maxLength) errs.push({ type: 'FieldValueTooLong', field, message: `Too long: may not be more than ${s.maxLength} bytes` });
  if (typeof s.pattern === 'string') {
    const compiled = compilePattern(s.pattern); // checked again here: a stored CRD from before the check must not hang the server
    const re = typeof compiled === 'string' ? undefined : compiled;
    if (re && !re.test(v)) errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(v)}: ${body(path)} in body should match '${s.pattern}'` });
  }
}

function passes(s: Schema, v: unknown, path: string): boolean {
  const e: FieldError[] = [];
  check(s, v, path, e);
  return e.length === 0;
}

function combinators(s: Schema, v: unknown, path: string, errs: FieldError[]): void {
  const field = path || '<root>';
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) if (isPlainObject(sub)) check(sub, v, path, errs);
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0 && !s.anyOf.some((sub) => isPlainObject(sub) && passes(sub, v, path))) {
    errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${show(v)}: ${body(path)} in body must validate at least one schema (anyOf)` });
  }
  if (Array.isArray(s.oneOf) && s.oneOf.length > 0 && s.oneOf.filter((sub) => isPlainObject(sub) && passes(sub, v, path)).length !== 1) {
    errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${show(v)}: ${body(path)} in body must validate one and only one schema (oneOf)` });
  }
  if (isPlainObject(s.not) && passes(s.not, v, path)) {
    errs.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${show(v)}: ${body(path)} in body should not be valid against the schema (not)` });
  }
}
