/**
 * Authorization: the part of upstream's default RBAC tinykube needs so far. A bootstrap token
 * (group system:bootstrappers, bound upstream to system:node-bootstrapper and system:discovery)
 * may read discovery and create and read CertificateSigningRequests, nothing else. Every other
 * authenticated user is treated as an admin here (no RBAC yet); nodes are the Node authorizer's
 * (authz/authorizer.ts puts the two together). Refusals are upstream's 403 message.
 */
import { forbidden } from '../api/status.js';
import type { ApiError } from '../api/status.js';
import type { UserInfo } from './auth.js';
import { BOOTSTRAPPERS_GROUP } from '../api/bootstrap-token.js';
import { parseResourcePath } from './http/request-path.js';
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

/** PURE. The attributes of a resource request, undefined for non-resource paths (discovery, /version, /openapi). */
export function requestAttributes(method: string, url: string): RequestAttributes | undefined {
  const [path = '', query = ''] = url.split('?');
  const segments = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const legacy = segments[0] === 'api';
  if (!legacy && segments[0] !== 'apis') return undefined;
  const rest = segments.slice(1);
  if (rest.length < (legacy ? 2 : 3)) return undefined; // /api/v1, /apis/<group>/<version>: discovery
  let p;
  try { p = parseResourcePath(legacy, rest); } catch { return undefined; } // unknown: the handler answers 404
  const watch = /(^|&)watch=(true|1)(&|$)/.test(query);
  const named = p.name !== undefined;
  // a list or watch of one object by `fieldSelector=metadata.name=x` names it (upstream RequestInfo)
  const selected = method === 'GET' && !named ? selectedName(query) : undefined;
  const name = p.name ?? selected;
  const verb = method === 'GET' ? (watch ? 'watch' : named ? 'get' : 'list')
    : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch'
      : method === 'DELETE' ? (named ? 'delete' : 'deletecollection') : method.toLowerCase();
  return {
    verb, group: p.ri.group, resource: p.ri.resource,
    ...(p.subresource ? { subresource: p.subresource } : {}),
    ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

function selectedName(query: string): string | undefined {
  const selector = new URLSearchParams(query).get('fieldSelector') ?? '';
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*([^\s/]+)\s*$/.exec(term);
    if (m?.[1] && m[1] !== '.' && m[1] !== '..') return m[1];
  }
  return undefined;
}

/** system:node-bootstrapper, as kubeadm binds it to bootstrap tokens. */
const BOOTSTRAPPER_RULES: readonly PolicyRule[] = [
  { group: 'certificates.k8s.io', resources: ['certificatesigningrequests'], verbs: ['create', 'get', 'list', 'watch'] },
];

/** PURE. Whether the user may make this request; undefined when allowed, the 403 otherwise. */
export function authorize(user: UserInfo, method: string, url: string): ApiError | undefined {
  if (user.groups.includes('system:masters') || !user.groups.includes(BOOTSTRAPPERS_GROUP)) return undefined;
  const a = requestAttributes(method, url);
  if (a === undefined) return undefined; // discovery and other non-resource paths: system:discovery
  if (rulesAllow(BOOTSTRAPPER_RULES, a)) return undefined;
  return forbidden(forbiddenMessage(user, a));
}

/** Upstream's wording: `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "default"`. */
export function forbiddenMessage(user: UserInfo, a: RequestAttributes): string {
  const what = a.group === '' ? a.resource : `${a.resource}.${a.group}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace !== undefined ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `${what}${a.name !== undefined ? ` "${a.name}"` : ''} is forbidden: User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
}
