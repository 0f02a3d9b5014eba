/** The resource a RequestInfo addresses, resolved against the served resources (404 when none). */
import type { ResourceInfo } from '../../api/resources.js';
import { findResource } from '../../api/resources.js';
import { pathNotFound } from '../../api/status.js';
import type { RequestInfo } from './request-info.js';

export interface ResourcePath {
  ri: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * The object or collection the router serves for `info`: the same resource, namespace, name and
 * subresource the authorizer decided on. Throws 404 for anything else: non-resource and
 * unparsable paths, unknown resources and subresources, a namespace prefix on a cluster-scoped
 * resource, parts beyond the subresource. A name comes from the path only, never from a selector.
 */
export function resolveResourcePath(info: RequestInfo, dynamic?: ResourceInfo): ResourcePath {
  if (info.kind !== 'resource' || info.parts.length > 3) throw pathNotFound();
  // `dynamic`: the resource a CustomResourceDefinition defines at this path, when no built-in one is there
  const ri = findResource(info.group, info.version, info.resource) ?? dynamic;
  if (!ri) throw pathNotFound();
  const [, name, subresource] = info.parts;
  if (info.namespacePrefix && !ri.namespaced) throw pathNotFound();
  if (subresource !== undefined && !ri.subresources?.some((s) => s.name === subresource)) throw pathNotFound();
  return { ri, ...(info.namespacePrefix ? { namespace: info.namespace } : {}), name, subresource };
}
