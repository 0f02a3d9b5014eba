/**
 * Authorization: the part of upstream's default RBAC tinykube needs so far. A bootstrap token
 * (group system:bootstrappers, bound upstream to system:node-bootstrapper, and like every
 * authenticated user to system:discovery and system:public-info-viewer) may read discovery,
 * /version and the health checks, and create and read CertificateSigningRequests, nothing else.
 * Every other authenticated user is treated as an admin here (no RBAC yet); nodes are the Node
 * authorizer's (authz/authorizer.ts puts them together). Refusals are upstream's 403 message.
 */
import { forbidden } from '../api/status.js';
import type { ApiError } from '../api/status.js';
import type { UserInfo } from './auth.js';
import { BOOTSTRAPPERS_GROUP } from '../api/bootstrap-token.js';
import type { RequestInfo } from './http/request-info.js';
import { nonResourceAllowed } from './authz/non-resource-rules.js';
import { rulesAllow } from './authz/node-rules.js';
import type { PolicyRule } from './authz/node-rules.js';

/** What a request does to what (upstream's authorizer attributes, the ones we use). */
export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** system:node-bootstrapper, as kubeadm binds it to bootstrap tokens. */
const BOOTSTRAPPER_RULES: readonly PolicyRule[] = [
  { group: 'certificates.k8s.io', resources: ['certificatesigningrequests'], verbs: ['create', 'get', 'list', 'watch'] },
];

/** PURE. Whether the user may make the request; undefined when allowed, the 403 otherwise. */
export function authorize(user: UserInfo, info: RequestInfo): ApiError | undefined {
  if (user.groups.includes('system:masters')) return undefined;
  if (info.kind === 'unparsable') return forbidden(forbiddenMessage(user, info));
  if (!user.groups.includes(BOOTSTRAPPERS_GROUP)) return undefined;
  if (info.kind === 'nonResource') return nonResourceAllowed(info) ? undefined : forbidden(forbiddenMessage(user, info));
  if (rulesAllow(BOOTSTRAPPER_RULES, info)) return undefined;
  return forbidden(forbiddenMessage(user, info));
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
