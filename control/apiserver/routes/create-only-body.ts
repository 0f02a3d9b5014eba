/**
 * The decode checks upstream makes of every body before a handler sees it, for the create-only
 * kinds and subresources (reviews, serviceaccounts/token): the apiVersion and kind the endpoint
 * takes, and each field's JSON type. A review handler that reads a field of the wrong type would
 * otherwise fail with a TypeError (a 500).
 */
import type { KubeObject } from '../../api/object.js';
import { groupVersion } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import { badRequest } from '../../api/status.js';
import { findTypeError, typeDecodingError } from '../openapi/type-errors.js';

export function checkCreateOnlyBody(ri: ResourceInfo, subresource: string | undefined, body: KubeObject): void {
  const sub = subresource ? ri.subresources?.find((s) => s.name === subresource) : undefined;
  const kind = sub?.kind ?? ri.kind;
  const gv = sub?.version ? groupVersion({ group: sub.group ?? '', version: sub.version }) : groupVersion(ri);
  const version = gv.slice(gv.lastIndexOf('/') + 1);
  if (body.apiVersion !== undefined && body.apiVersion !== gv) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${gv})`);
  }
  if (body.kind !== undefined && body.kind !== kind) {
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: the kind in the data (${String(body.kind)}) does not match the expected kind (${kind})`);
  }
  const typeError = findTypeError(gv, kind, body);
  if (typeError) throw typeDecodingError(kind, version, typeError);
}
