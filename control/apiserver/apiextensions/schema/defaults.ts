/**
 * Defaulting from a structural schema (upstream's structural defaulting): a missing property whose
 * schema has a `default` gets a copy of it, and so does a null one that the schema does not allow
 * to be null; then every present value is defaulted by its own schema, through properties,
 * additionalProperties and items. Runs on create, update and every read from storage. Mutates `obj`.
 */
import type { Schema } from './schema.js';
import { additionalOf, isPlainObject, itemsOf } from './schema.js';

export function applySchemaDefaults(schema: Schema, obj: unknown): void {
  walk(schema, obj);
}

function walk(s: Schema, v: unknown): void {
  if (Array.isArray(v)) {
    const it = itemsOf(s);
    if (it) for (const x of v) walk(it, x);
    return;
  }
  if (!isPlainObject(v)) return;
  const props = isPlainObject(s.properties) ? s.properties : {};
  for (const [k, p] of Object.entries(props)) {
    if (!isPlainObject(p) || p.default === undefined) continue;
    const cur = v[k];
    if (cur === undefined || (cur === null && p.nullable !== true)) v[k] = structuredClone(p.default);
  }
  const ap = additionalOf(s);
  for (const [k, x] of Object.entries(v)) {
    const p = props[k];
    if (isPlainObject(p)) walk(p as Schema, x);
    else if (ap) walk(ap, x);
  }
}
