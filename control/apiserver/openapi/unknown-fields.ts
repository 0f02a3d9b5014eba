/**
 * Strict field validation (`?fieldValidation=Strict`, kubectl's default): the paths of body fields the
 * kind's schema does not declare, named the way upstream's strict decoder names them
 * (`spec.containers[0].foo`), and the 400 BadRequest that reports them.
 */
import type { ApiError } from '../../api/status.js';
import { badRequest } from '../../api/status.js';
import type { Schema } from './schemas.js';
import { SCHEMAS, resolveSchema, schemaNameFor } from './schemas.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Paths of fields in `obj` that the schema of `apiVersion`/`kind` does not declare, in document order.
 * Top-level `apiVersion` and `kind` are never reported. Objects whose schema declares no properties
 * (RawExtension, FieldsV1) accept anything. An unknown kind yields [] (nothing to check against).
 */
export function findUnknownFields(apiVersion: string, kind: string, obj: unknown): string[] {
  const name = schemaNameFor(apiVersion, kind);
  const schema = name === undefined ? undefined : SCHEMAS[name];
  if (!schema) return [];
  const out: string[] = [];
  walk(schema, obj, '', out, true);
  return out;
}

function walk(schemaIn: Schema, value: unknown, path: string, out: string[], top = false): void {
  const schema = resolveSchema(schemaIn);
  if (!schema || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v, i) => walk(schema.items as Schema, v, `${path}[${i}]`, out));
    return;
  }
  if (!isObject(value)) return;
  const join = (key: string): string => (path ? `${path}.${key}` : key);
  if (schema.properties) {
    for (const [key, v] of Object.entries(value)) {
      const prop = schema.properties[key];
      if (prop) walk(prop, v, join(key), out);
      else if (!(top && (key === 'apiVersion' || key === 'kind'))) out.push(join(key));
    }
  } else if (schema.additionalProperties) {
    for (const [key, v] of Object.entries(value)) walk(schema.additionalProperties, v, join(key), out);
  }
}

/**
 * 400 BadRequest as upstream words it, e.g.
 * `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"`.
 * `version` is the bare version ("v1"); a group prefix such as "apps/" is dropped, as upstream prints it.
 */
export function strictDecodingError(kind: string, version: string, unknown: readonly string[]): ApiError {
  const v = version.slice(version.lastIndexOf('/') + 1);
  const fields = unknown.map((f) => `unknown field "${f}"`).join(', ');
  return badRequest(`${kind} in version "${v}" cannot be handled as a ${kind}: strict decoding error: ${fields}`);
}
