/** Parses /api/v1/... and /apis/<group>/<version>/... into the resource being addressed. */
import type { ResourceInfo } from '../../api/resources.js';
import { findResource } from '../../api/resources.js';
import { pathNotFound } from '../../api/status.js';

export interface ResourcePath {
  ri: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** `segments` are the URL path after /api or /apis, split on '/', decoded. Throws 404 when unknown. */
export function parseResourcePath(legacy: boolean, segments: string[]): ResourcePath {
  let rest = segments.filter((s) => s !== '');
  let group = '';
  let version: string | undefined;
  if (legacy) {
    version = rest[0];
    rest = rest.slice(1);
  } else {
    group = rest[0] ?? '';
    version = rest[1];
    rest = rest.slice(2);
  }
  if (!version || rest.length === 0) throw pathNotFound();
  let namespace: string | undefined;
  // /namespaces/{ns}/{resource}/... unless it is the namespace itself (or its subresource)
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2] ?? ''))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length > 0) throw pathNotFound();
  const ri = findResource(group, version, resource);
  if (!ri) throw pathNotFound();
  if (namespace !== undefined && !ri.namespaced) throw pathNotFound();
  if (subresource && !ri.subresources?.some((s) => s.name === subresource)) throw pathNotFound();
  return { ri, namespace, name, subresource };
}
