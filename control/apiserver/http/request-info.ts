/**
 * RequestInfo (upstream k8s.io/apiserver endpoints/request): what a request does to what, read
 * ONCE from the raw request target and handed to both the authorizer and the router, so the one
 * cannot decide on a different request than the other serves.
 *
 * The raw path is split on literal '/' first and each segment decoded after, so an encoded
 * separator (%2F, or %252F once a client decodes twice) never becomes a separator. A path that
 * cannot be read unambiguously is `unparsable`: an empty segment (doubled slash), a dot segment
 * (`.`, `..`, also encoded as %2e), a segment that decodes to one containing '/', a broken
 * %-escape, a target that is not an absolute path. Nothing is served at such a path and only an
 * admin learns it is a 404. One trailing slash is not a segment (upstream trims it too).
 */
import { parseFieldSelector } from '../../api/fields.js';
import { queryBool } from '../../api/query-bool.js';
import { isApiError } from '../../api/status.js';

/** The query parameters, each a string or, when repeated, every value in order. */
export type Query = Record<string, string | string[] | undefined>;

interface Common {
  /** upstream's verb: get list watch create update patch delete deletecollection ('' for other methods); lowercase method for non-resource paths. */
  verb: string;
  /** The decoded path (the raw path when unparsable), without the query. */
  path: string;
  query: Query;
}

export interface ResourceRequestInfo extends Common {
  kind: 'resource';
  apiPrefix: 'api' | 'apis';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  subresource?: string;
  name?: string;
  /** From the resource on: resource, name, subresource, anything after (upstream Parts). */
  parts: string[];
  /** Whether the namespace came from a /namespaces/{ns}/ prefix (not the namespace object's own path). */
  namespacePrefix: boolean;
}

export interface NonResourceRequestInfo extends Common { kind: 'nonResource' }

export interface UnparsableRequestInfo extends Common { kind: 'unparsable'; reason: string }

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo | UnparsableRequestInfo;

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** PURE. The request as authorizer and router both see it; `target` is the request line's target as received. */
export function parseRequestInfo(method: string, target: string): RequestInfo {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const query = parseQuery(q < 0 ? '' : target.slice(q + 1));
  const unparsable = (reason: string): RequestInfo => ({ kind: 'unparsable', reason, verb: method.toLowerCase(), path: rawPath, query });
  if (!rawPath.startsWith('/')) return unparsable('not an absolute path');
  if (rawPath.includes('#')) return unparsable('a fragment in the path');
  const raw = rawPath.slice(1).split('/');
  const trailingSlash = raw.length > 1 && raw[raw.length - 1] === '';
  if (trailingSlash || rawPath === '/') raw.pop();
  const parts: string[] = [];
  for (const segment of raw) {
    if (segment === '') return unparsable('an empty path segment');
    let decoded: string;
    try { decoded = decodeURIComponent(segment); } catch { return unparsable('a malformed %-escape'); } // URIError: not a path at all
    if (decoded.includes('/')) return unparsable('an encoded "/" in a path segment');
    if (decoded === '.' || decoded === '..') return unparsable('a dot segment');
    parts.push(decoded);
  }
  const path = `/${parts.join('/')}${trailingSlash ? '/' : ''}`;
  return resourceInfo(method, parts, query) ?? { kind: 'nonResource', verb: method.toLowerCase(), path, query };
}

/** upstream NewRequestInfo over decoded segments; undefined for a non-resource path (discovery, /version, ...). */
function resourceInfo(method: string, segments: string[], query: Query): ResourceRequestInfo | undefined {
  const prefix = segments[0];
  if (prefix !== 'api' && prefix !== 'apis') return undefined;
  if (segments.length < (prefix === 'api' ? 3 : 4)) return undefined; // /api/v1, /apis/<group>/<version>: discovery
  const group = prefix === 'api' ? '' : segments[1]!;
  let rest = segments.slice(prefix === 'api' ? 1 : 2);
  const version = rest[0]!;
  rest = rest.slice(1);
  let namespace: string | undefined;
  let namespacePrefix = false;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    // /namespaces/{ns}/{resource}/... unless it is the namespace's own subresource
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) { rest = rest.slice(2); namespacePrefix = true; }
  }
  const [resource = '', name, subresource] = rest;
  let verb = verbOf(method, name !== undefined);
  let selected: string | undefined;
  if (verb === 'list') {
    if (queryBool(first(query['watch']))) verb = 'watch'; // upstream: any value but 0 and false (any case)
    selected = selectedName(query); // a list or watch of one object by fieldSelector names it (upstream)
  }
  const named = name ?? selected;
  return {
    kind: 'resource', verb, path: `/${segments.join('/')}`, query, apiPrefix: prefix, group, version, resource, parts: rest, namespacePrefix,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(named !== undefined ? { name: named } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

function verbOf(method: string, named: boolean): string {
  switch (method) {
    case 'GET': case 'HEAD': return named ? 'get' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return named ? 'delete' : 'deletecollection';
    default: return '';
  }
}

/** `fieldSelector` pinning metadata.name to a valid path segment name, read with the selector grammar the list uses. */
function selectedName(query: Query): string | undefined {
  const selector = first(query['fieldSelector']);
  if (!selector) return undefined;
  let name: string | undefined;
  try {
    name = parseFieldSelector(selector).requiresExactMatch('metadata.name');
  } catch (err) {
    if (isApiError(err)) return undefined; // a selector that does not parse names nothing; the list answers 400
    throw err;
  }
  return name !== undefined && name !== '.' && name !== '..' && !/[/%]/.test(name) ? name : undefined;
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** PURE. `a=1&a=2&b` -> { a: ['1', '2'], b: '' } ('+' is a space, as the router's parser reads it). */
export function parseQuery(raw: string): Query {
  const out = Object.create(null) as Query; // keys are the client's: no prototype to write through
  for (const [k, v] of new URLSearchParams(raw)) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}
