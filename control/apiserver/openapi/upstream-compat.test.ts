/**
 * Our generated schemas against upstream's published OpenAPI v3 documents (reference data in
 * /work/shared/data/openapi-v3, Kubernetes 1.27): every definition we also generate must declare at least
 * upstream's fields, with the same types, formats, $ref targets and merge extensions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Schema } from './schemas.js';
import { SCHEMAS, refName } from './schemas.js';

const DATA = fileURLToPath(new URL('../../../../shared/data/openapi-v3/', import.meta.url));
const DOCS = ['api/v1.json', 'apis/apps/v1.json', 'apis/autoscaling/v1.json'];

/** Fields whose type changed after 1.27 (kubernetes-types is 1.30). */
const SHAPE_EXCEPTIONS = new Set([
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec.resources', // ResourceRequirements -> VolumeResourceRequirements in 1.29
]);
/** Upstream fields kubernetes-types 1.30 no longer has (resizeStatus gave way to allocatedResourceStatuses in 1.28). */
const MISSING_EXCEPTIONS = new Set<string>(['io.k8s.api.core.v1.PersistentVolumeClaimStatus.resizeStatus']);
/**
 * Upstream quirks we do not copy: LabelSelectorRequirement.key carries a merge key in api/v1.json but not in apps/v1.json;
 * PersistentVolumeClaimStatus.allocatedResourceStatuses is map-type granular in apps/v1.json but not in api/v1.json.
 */
const EXTENSION_EXCEPTIONS = new Set(['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement.key',
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus.allocatedResourceStatuses']);
const EXTENSIONS = ['x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy', 'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type', 'x-kubernetes-map-type'] as const;

interface Shape { type?: string; format?: string; ref?: string; items?: Shape; values?: Shape; oneOf?: string }
function shape(s: Schema | undefined): Shape | undefined {
  if (!s) return undefined;
  return { type: s.type, format: s.format, ref: refName(s), items: shape(s.items), values: shape(s.additionalProperties),
    oneOf: s.oneOf?.map((o) => o.type).join() };
}

const available = existsSync(DATA);
const upstream: Array<[string, string, Schema]> = available
  ? DOCS.flatMap((doc) => {
    const parsed = JSON.parse(readFileSync(`${DATA}${doc}`, 'utf8')) as { components: { schemas: Record<string, Schema> } };
    return Object.entries(parsed.components.schemas).filter(([name]) => SCHEMAS[name]).map(([name, s]): [string, string, Schema] => [doc, name, s]);
  })
  : [];

describe.skipIf(!available)('generated schemas vs upstream OpenAPI v3 (reference data)', () => {
  it('covers the kinds that matter', () => {
    const names = new Set(upstream.map(([, n]) => n));
    for (const n of ['io.k8s.api.core.v1.Pod', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.api.core.v1.Container', 'io.k8s.api.core.v1.Service',
      'io.k8s.api.core.v1.ServiceSpec', 'io.k8s.api.apps.v1.Deployment', 'io.k8s.api.apps.v1.DeploymentSpec', 'io.k8s.api.apps.v1.ReplicaSet',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.api.autoscaling.v1.Scale', 'io.k8s.api.policy.v1.Eviction']) {
      expect(names, n).toContain(n);
    }
    expect(upstream.length).toBeGreaterThan(300);
  });

  it.each(upstream.map(([doc, name, s]) => ({ doc, name, s })))('$doc $name', ({ name, s }) => {
    const ours = SCHEMAS[name] as Schema;
    const problems: string[] = [];
    if (JSON.stringify(shape(ours)) !== JSON.stringify(shape(s))) problems.push(`type ${JSON.stringify(shape(ours))} != ${JSON.stringify(shape(s))}`);
    if (ours['x-kubernetes-map-type'] !== s['x-kubernetes-map-type']) problems.push('x-kubernetes-map-type');
    expect([...(ours.required ?? [])].sort()).toEqual([...(s.required ?? [])].sort());
    for (const [field, theirs] of Object.entries(s.properties ?? {})) {
      const id = `${name}.${field}`;
      const mine = ours.properties?.[field];
      if (!mine) {
        if (!MISSING_EXCEPTIONS.has(id)) problems.push(`missing ${field}`);
        continue;
      }
      if (!SHAPE_EXCEPTIONS.has(id) && JSON.stringify(shape(mine)) !== JSON.stringify(shape(theirs))) {
        problems.push(`${field}: ${JSON.stringify(shape(mine))} != ${JSON.stringify(shape(theirs))}`);
      }
      if (EXTENSION_EXCEPTIONS.has(id)) continue;
      for (const x of EXTENSIONS) {
        if (JSON.stringify(mine[x]) !== JSON.stringify(theirs[x])) problems.push(`${field} ${x}: ${JSON.stringify(mine[x])} != ${JSON.stringify(theirs[x])}`);
      }
    }
    if (!name.startsWith('io.k8s.apimachinery.')) {
      for (const g of s['x-kubernetes-group-version-kind'] ?? []) {
        expect(ours['x-kubernetes-group-version-kind'] ?? []).toContainEqual({ group: g.group, version: g.version, kind: g.kind });
      }
    }
    expect(problems).toEqual([]);
  });
});
