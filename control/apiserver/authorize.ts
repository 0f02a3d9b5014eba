/**
 * Upstream's authorization attributes and 403 wording, shared by the Node and RBAC authorizers
 * (authz/authorizer.ts chains them).
 */
import type { UserInfo } from './auth.js';

/** What a request does to what (upstream's authorizer attributes, the ones we use). */
export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/**
 * Upstream's wording: `pods "x" is forbidden: User "u" cannot get resource "pods" in API group ""
 * in the namespace "default"`; for a path that is no resource `forbidden: User "u" cannot get path "/metrics"`.
 */
export function forbiddenMessage(user: UserInfo, a: RequestAttributes | { verb: string; path: string }): string {
  if (!('resource' in a)) return `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"`;
  const what = a.group === '' ? a.resource : `${a.resource}.${a.group}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace !== undefined ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `${what}${a.name !== undefined ? ` "${a.name}"` : ''} is forbidden: User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
}
