/**
 * The HTTP edge of a resource: what a request body becomes for the handler, and what the handler's
 * answer becomes for the client. The identity for almost every resource; for one served as another
 * resource's objects (control/api/conversion) it converts both ways, maps field selector labels
 * and runs the checks of the version asked for.
 */
import { storedViewOf } from '../../api/conversion/stored-view.js';
import type { KubeObject } from '../../api/object.js';
import { isRecord } from '../../api/object.js';
import { groupVersion } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import { invalid } from '../../api/status.js';
import type { PatchType } from '../http/body.js';
import { applyPatch } from './patch.js';
import { q } from './query.js';
import type { Query } from './query.js';

export interface ViewEdge {
  /** The resource the handler works on: the requested one, or the one whose objects a view shows. */
  ri: ResourceInfo;
  /** The query with field selector labels as the handler's resource names them. */
  query: Query;
  /** A request body as the handler's object; `old` (the stored object) on update. */
  inbound(body: KubeObject, old?: KubeObject): KubeObject;
  /** A PATCH as a function of the stored object, applied in the requested version. */
  patch(type: PatchType, patch: unknown): (cur: KubeObject) => KubeObject;
  /** One object as the client asked for it. */
  object(obj: KubeObject): KubeObject;
  /** What a route returns (an object, a list, a Status, a Table) as the client asked for it. */
  outbound(x: unknown): unknown;
}

export function viewEdge(requested: ResourceInfo, query: Query): ViewEdge {
  const found = storedViewOf(requested);
  if (!found) {
    return {
      ri: requested, query, inbound: (body) => body, object: (obj) => obj, outbound: (x) => x,
      patch: (type, patch) => (cur) => applyPatch(type, requested.kind, groupVersion(requested), cur, patch),
    };
  }
  const { view, internal } = found;
  const checked = (obj: KubeObject, old?: KubeObject): KubeObject => {
    const errs = view.validate?.(obj, old) ?? [];
    if (errs.length > 0) throw invalid(internal.kind, requested, obj.metadata?.name ?? old?.metadata?.name ?? '', errs);
    return obj;
  };
  const isInternal = (x: Record<string, unknown>, kind: string): boolean => x['kind'] === kind && x['apiVersion'] === groupVersion(internal);
  const fieldSelector = q(query, 'fieldSelector');
  return {
    ri: internal,
    query: fieldSelector ? { ...query, fieldSelector: mapFieldSelector(fieldSelector, view.fieldLabel) } : query,
    inbound: (body, old) => checked(view.toInternal(body), old),
    object: (obj) => view.toExternal(obj),
    patch: (type, patch) => (cur) => checked(view.toInternal(applyPatch(type, requested.kind, groupVersion(requested), view.toExternal(cur), patch)), cur),
    outbound: (x) => {
      if (!isRecord(x)) return x;
      if (isInternal(x, internal.kind)) return view.toExternal(x as KubeObject);
      if (isInternal(x, internal.listKind) && Array.isArray(x['items'])) {
        return { ...x, kind: requested.listKind, apiVersion: groupVersion(requested), items: (x['items'] as KubeObject[]).map(view.toExternal) };
      }
      const details = x['kind'] === 'Status' && isRecord(x['details']) ? x['details'] : undefined;
      if (details && details['kind'] === internal.resource) return { ...x, details: { ...details, group: requested.group || undefined } };
      return x;
    },
  };
}

/** `a=b,c!=d` with each label renamed; values are left as they are. */
function mapFieldSelector(selector: string, label: (l: string) => string): string {
  return selector.split(',').map((term) => {
    const m = /^\s*([^=!\s]+)(.*)$/.exec(term);
    return m ? `${label(m[1] ?? '')}${m[2] ?? ''}` : term;
  }).join(',');
}
