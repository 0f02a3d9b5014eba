/**
 * The generated component schemas (scripts/gen-openapi.mjs → generated/schemas.json) and lookups over
 * them: by name, by $ref, and by group-version-kind as kubectl explain finds them.
 */
import generated from './generated/schemas.json' with { type: 'json' };

export interface GroupVersionKind { group: string; version: string; kind: string }

/** The subset of an OpenAPI v3 schema object that tinykube generates. */
export interface Schema {
  description?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
}

const REF_PREFIX = '#/components/schemas/';

/** Every generated schema, by upstream name (io.k8s.api.core.v1.Pod, …). Do not mutate. */
export const SCHEMAS: Readonly<Record<string, Schema>> = generated as Record<string, Schema>;

/** The schema name a `$ref` (or a property wrapping one in `allOf`) points to, if any. */
export function refName(s: Schema): string | undefined {
  const ref = s.$ref ?? s.allOf?.[0]?.$ref;
  return ref?.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : undefined;
}

/** Follows a reference to its named schema; returns `s` itself when it is not a reference. */
export function resolveSchema(s: Schema): Schema | undefined {
  const name = refName(s);
  return name === undefined ? s : SCHEMAS[name];
}

/** `#/components/schemas/<name>` */
export const schemaRef = (name: string): string => `${REF_PREFIX}${name}`;

let byGVK: Map<string, string> | undefined;
const gvkKey = (group: string, version: string, kind: string): string => `${group}/${version}/${kind}`;

/** Name of the schema carrying this apiVersion + kind in x-kubernetes-group-version-kind. */
export function schemaNameFor(apiVersion: string, kind: string): string | undefined {
  if (!byGVK) {
    byGVK = new Map();
    for (const [name, s] of Object.entries(SCHEMAS)) {
      for (const g of s['x-kubernetes-group-version-kind'] ?? []) byGVK.set(gvkKey(g.group, g.version, g.kind), name);
    }
  }
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return byGVK.get(gvkKey(group, version, kind));
}

/** Names of every schema reachable from `roots` through $ref, sorted. */
export function reachableSchemas(roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (s: Schema | undefined): void => {
    if (!s) return;
    const name = refName(s);
    if (name !== undefined) stack.push(name);
    for (const p of Object.values(s.properties ?? {})) visit(p);
    visit(s.items);
    visit(s.additionalProperties);
  };
  while (stack.length) {
    const name = stack.pop() as string;
    if (seen.has(name) || !SCHEMAS[name]) continue;
    seen.add(name);
    visit(SCHEMAS[name]);
  }
  return [...seen].sort();
}
