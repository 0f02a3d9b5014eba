/**
 * Pruning (upstream structural pruning): the paths of fields a custom resource's schema does not
 * declare, named as the strict decoder names them (`spec.foo`, `spec.items[0].bar`). Fields under
 * x-kubernetes-preserve-unknown-fields are kept, so are apiVersion, kind and metadata at the root
 * and of embedded resources. The caller drops the paths (or refuses them under Strict). PURE.
 */
import type { Schema } from './schema.js';
import { additionalOf, isPlainObject, itemsOf, preservesUnknown } from './schema.js';

const TYPE_META = new Set(['apiVersion', 'kind', 'metadata']);

export function unknownFieldPaths(schema: Schema, obj: unknown): string[] {
  const out: string[] = [];
  walk(schema, obj, '', out, true);
  return out;
}

function walk(s: Schema, v: unknown, path: string, out: string[], root = false): void {
  const join = (k: string): string => (path ? `${path}.${k}` : k);
  if (Array.isArray(v)) {
    const it = itemsOf(s);
    if (it) v.forEach((x, i) => walk(it, x, `${path}[${i}]`, out));
    return;
  }
  if (!isPlainObject(v)) return;
  const embedded = root || s['x-kubernetes-embedded-resource'] === true;
  const ap = additionalOf(s);
  const props = isPlainObject(s.properties) ? s.properties : undefined;
  for (const [k, x] of Object.entries(v)) {
    if (embedded && TYPE_META.has(k)) continue;
    const p = props?.[k];
    if (isPlainObject(p)) walk(p as Schema, x, join(k), out);
    else if (ap) walk(ap, x, join(k), out);
    else if (!preservesUnknown(s) && s.additionalProperties !== true) out.push(join(k));
  }
}
