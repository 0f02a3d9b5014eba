/**
 * A served version of a CustomResourceDefinition, as the API server works with it: its
 * ResourceInfo (routing, discovery, storage keys under /registry/<group>/<plural>/), schema,
 * subresources and printer columns. PURE.
 */
import type {
  CustomResourceColumnDefinition, CustomResourceDefinition, CustomResourceSubresourceScale,
} from 'kubernetes-types/apiextensions/v1.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { Schema } from './schema/schema.js';

export const CRUD_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

export interface CustomResource {
  ri: ResourceInfo;
  crdName: string;
  schema: Schema;
  /** Whether /status is served (and status is ignored on the main resource). */
  status: boolean;
  scale?: CustomResourceSubresourceScale;
  columns: CustomResourceColumnDefinition[];
  /** The CRD is being deleted: no new objects. */
  terminating: boolean;
}

/**
 * Kubernetes version priority (upstream's version.CompareKubeAwareVersionStrings), highest first:
 * GA before beta before alpha, higher numbers first, then names that do not parse, alphabetically.
 */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return [m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a.localeCompare(b);
  return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
}

/** The condition of `type` on a CRD, if any. */
export function crdCondition(crd: CustomResourceDefinition, type: string): { status?: string; reason?: string } | undefined {
  return (crd.status?.conditions ?? []).find((c) => c.type === type);
}

export const isEstablished = (crd: CustomResourceDefinition): boolean => crdCondition(crd, 'Established')?.status === 'True';

/** Every served version of an established CRD, under its accepted names. */
export function customResourcesOf(crd: CustomResourceDefinition): CustomResource[] {
  const spec = crd.spec;
  const names = crd.status?.acceptedNames;
  if (!spec || !names?.plural || !names.kind || !isEstablished(crd)) return [];
  const out: CustomResource[] = [];
  for (const v of [...(spec.versions ?? [])].sort((a, b) => compareKubeVersions(a.name, b.name))) {
    if (!v.served) continue;
    const subresources: NonNullable<ResourceInfo['subresources']> = [];
    if (v.subresources?.status) subresources.push({ name: 'status', kind: names.kind, verbs: ['get', 'patch', 'update'] });
    if (v.subresources?.scale) subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
    const ri: ResourceInfo = {
      group: spec.group, version: v.name, kind: names.kind, listKind: names.listKind || `${names.kind}List`,
      resource: names.plural, singular: names.singular || names.kind.toLowerCase(), namespaced: spec.scope === 'Namespaced',
      verbs: CRUD_VERBS, storageName: `${spec.group}/${names.plural}`,
      ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
      ...(names.categories?.length ? { categories: names.categories } : {}),
      ...(subresources.length ? { subresources } : {}),
    };
    out.push({
      ri, crdName: crd.metadata?.name ?? '', terminating: crd.metadata?.deletionTimestamp !== undefined, schema: (v.schema?.openAPIV3Schema ?? { type: 'object' }) as Schema,
      status: v.subresources?.status !== undefined, columns: v.additionalPrinterColumns ?? [],
      ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
    });
  }
  return out;
}
