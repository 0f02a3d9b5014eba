/**
 * Structural schema checks (upstream apiextensions "structural schemas", the v1 rules): every node
 * under properties / additionalProperties / items names its type, arrays name their items, a node
 * holds either properties or additionalProperties, metadata at the root restricts only name and
 * generateName, and a few features v1 refuses ($ref, additionalProperties: false, uniqueItems).
 * PURE: returns field errors under `path`, the schema's own field path in the CRD.
 */
import type { FieldError } from '../../../api/status.js';
import { compilePattern } from './pattern.js';
import type { Schema } from './schema.js';
import { isPlainObject } from './schema.js';

const TYPES = ['object', 'array', 'string', 'integer', 'number', 'boolean'] as const;

export function structuralErrors(root: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isPlainObject(root)) {
    errs.push({ type: 'FieldValueRequired', field: path, message: 'Required value: schemas are required' });
    return errs;
  }
  const schema = root as Schema;
  if (schema.type === undefined || schema.type === '') {
    errs.push({ type: 'FieldValueRequired', field: `${path}.type`, message: 'Required value: must not be empty at the root' });
  } else if (schema.type !== 'object') {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.type`, message: `Invalid value: ${JSON.stringify(schema.type)}: must be object at the root` });
  }
  const meta = schema.properties?.['metadata'];
  if (isPlainObject(meta)) checkRootMetadata(meta, `${path}.properties[metadata]`, errs);
  walk(schema, path, errs, true);
  return errs;
}

function checkRootMetadata(meta: Schema, path: string, errs: FieldError[]): void {
  const extra = Object.keys(meta).filter((k) => !['type', 'properties', 'description'].includes(k));
  const props = Object.keys(meta.properties ?? {}).filter((k) => k !== 'name' && k !== 'generateName');
  if (meta.type !== undefined && meta.type !== 'object') {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.type`, message: `Invalid value: ${JSON.stringify(meta.type)}: must be object` });
  }
  if (extra.length > 0 || props.length > 0) {
    errs.push({ type: 'FieldValueForbidden', field: path, message: 'Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified' });
  }
}

function walk(s: Schema, path: string, errs: FieldError[], root = false): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'];
  if (preserve !== undefined && preserve !== true) {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.x-kubernetes-preserve-unknown-fields`, message: `Invalid value: ${JSON.stringify(preserve)}: must be true or undefined` });
  }
  if (s.type !== undefined && !(TYPES as readonly unknown[]).includes(s.type)) {
    errs.push({ type: 'FieldValueNotSupported', field: `${path}.type`, message: `Unsupported value: ${JSON.stringify(s.type)}: supported values: ${TYPES.map((t) => `"${t}"`).join(', ')}` });
  }
  if (intOrString && s.type !== undefined && s.type !== '') {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.type`, message: `Invalid value: ${JSON.stringify(s.type)}: must be empty if x-kubernetes-int-or-string is true` });
  }
  if (s.pattern !== undefined) {
    const compiled = typeof s.pattern === 'string' ? compilePattern(s.pattern) : 'must be a string';
    if (typeof compiled === 'string') errs.push({ type: 'FieldValueInvalid', field: `${path}.pattern`, message: `Invalid value: ${JSON.stringify(s.pattern)}: ${compiled}` });
  }
  if (s['$ref'] !== undefined) errs.push({ type: 'FieldValueForbidden', field: `${path}.$ref`, message: 'Forbidden: $ref is not supported' });
  if (s.uniqueItems === true) {
    errs.push({ type: 'FieldValueForbidden', field: `${path}.uniqueItems`, message: 'Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic' });
  }
  if (s.additionalProperties === false) {
    errs.push({ type: 'FieldValueForbidden', field: `${path}.additionalProperties`, message: 'Forbidden: additionalProperties cannot be set to false' });
  }
  if (s.properties !== undefined && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push({ type: 'FieldValueForbidden', field: `${path}.additionalProperties`, message: 'Forbidden: additionalProperties and properties are mutual exclusive' });
  }
  if (s.type === 'array' && s.items === undefined) errs.push({ type: 'FieldValueRequired', field: `${path}.items`, message: 'Required value: must be specified' });
  if (Array.isArray(s.items)) errs.push({ type: 'FieldValueForbidden', field: `${path}.items`, message: 'Forbidden: items must be a schema object and not an array' });
  if (s.properties !== undefined && !isPlainObject(s.properties)) {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.properties`, message: 'Invalid value: must be an object' });
    return;
  }
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    const p = `${path}.properties[${name}]`;
    if (!isPlainObject(child)) continue;
    if (root && (name === 'metadata' || name === 'apiVersion' || name === 'kind')) {
      // implicitly specified at the root; their types are fixed
      if (child.type === undefined) continue;
    }
    needType(child as Schema, `${p}.type`, 'must not be empty for specified object fields', errs);
    walk(child as Schema, p, errs);
  }
  if (isPlainObject(s.additionalProperties)) {
    const ap = s.additionalProperties as Schema;
    needType(ap, `${path}.additionalProperties.type`, 'must not be empty for specified object fields', errs);
    walk(ap, `${path}.additionalProperties`, errs);
  }
  if (isPlainObject(s.items)) {
    const it = s.items as Schema;
    needType(it, `${path}.items.type`, 'must not be empty for specified array items', errs);
    walk(it, `${path}.items`, errs);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[key];
    if (list !== undefined && !Array.isArray(list)) errs.push({ type: 'FieldValueInvalid', field: `${path}.${key}`, message: 'Invalid value: must be a list' });
  }
}

function needType(s: Schema, field: string, why: string, errs: FieldError[]): void {
  if (s['x-kubernetes-int-or-string'] === true || s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (s.type === undefined || s.type === '') errs.push({ type: 'FieldValueRequired', field, message: `Required value: ${why}` });
}
