/**
 * The HTTP edge of a custom resource (routes/view-edge.ts's ViewEdge): objects read from storage
 * are defaulted by the current schema and shown in the version asked for (conversion strategy None
 * changes only apiVersion); strategic merge patches are refused with 415, as upstream refuses them
 * for custom resources.
 */
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import { groupVersion } from '../../api/resources.js';
import { failure415 } from './cr-errors.js';
import type { CustomResource } from './crd-resource.js';
import { applySchemaDefaults } from './schema/defaults.js';
import type { ViewEdge } from '../routes/view-edge.js';
import { applyPatch } from '../routes/patch.js';
import type { Query } from '../routes/query.js';

export function customResourceEdge(cr: CustomResource, query: Query): ViewEdge {
  const gv = groupVersion(cr.ri);
  const object = (obj: KubeObject): KubeObject => {
    const out = structuredClone(obj);
    out.apiVersion = gv;
    applySchemaDefaults(cr.schema, out);
    return out;
  };
  const isOurs = (x: Record<string, unknown>): boolean => x['kind'] === cr.ri.kind && typeof x['apiVersion'] === 'string' && x['apiVersion'].startsWith(`${cr.ri.group}/`);
  return {
    ri: cr.ri, query,
    inbound: (body) => body,
    object,
    patch: (type, patch) => {
      if (type === 'strategic') throw failure415();
      return (cur) => applyPatch(type, cr.ri.kind, gv, object(cur), patch);
    },
    outbound: (x) => {
      if (!isRecord(x)) return x;
      if (isOurs(x)) return object(x as KubeObject);
      if (x['kind'] === cr.ri.listKind && Array.isArray(x['items'])) return { ...x, items: (x['items'] as KubeObject[]).map(object) };
      return x;
    },
  };
}
