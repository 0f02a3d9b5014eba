/**
 * Reads a custom resource's storage key (`/registry/<group>/<plural>/[<namespace>/]<name>`, the group
 * always dotted) with the object stored there, so that whoever walks all of storage (the garbage
 * collector) knows custom resources without waiting for the CRD registry. PURE.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { CRUD_VERBS } from './crd-resource.js';

export function parseCustomResourceKey(key: string, obj: KubeObject): { ri: ResourceInfo; namespace?: string; name: string } | undefined {
  const m = /^\/registry\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)\/([a-z0-9-]+)\/(.+)$/.exec(key);
  if (!m) return undefined;
  const [, group = '', resource = '', rest = ''] = m;
  const parts = rest.split('/');
  const apiVersion = obj.apiVersion ?? '';
  if (!apiVersion.startsWith(`${group}/`) || !obj.kind || parts.length > 2 || parts.some((p) => p === '')) return undefined;
  const ri: ResourceInfo = {
    group, version: apiVersion.slice(group.length + 1), kind: obj.kind, listKind: `${obj.kind}List`, resource, singular: resource,
    namespaced: parts.length === 2, verbs: CRUD_VERBS, storageName: `${group}/${resource}`,
  };
  return parts.length === 2 ? { ri, namespace: parts[0], name: parts[1] ?? '' } : { ri, name: parts[0] ?? '' };
}
