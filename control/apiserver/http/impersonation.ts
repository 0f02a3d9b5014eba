/**
 * Impersonation (upstream endpoints/filters WithImpersonation), between authentication and
 * authorization: `Impersonate-User`, `Impersonate-Group` (repeatable), `Impersonate-Uid` and
 * `Impersonate-Extra-<key>` make the request act as another user. Each thing asked for is
 * authorized first as verb `impersonate` for the requestor: users, groups, uids and
 * userextras/<key> (group authentication.k8s.io for the last two), or serviceaccounts in the
 * account's namespace for a `system:serviceaccount:<ns>:<name>` user. The first refusal is the
 * authorizer's 403 (`users "x" is forbidden: User "u" cannot impersonate resource "users" in API
 * group "" at the cluster scope`). Groups, uid or extras without a user are a 400.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiError } from '../../api/status.js';
import { badRequest } from '../../api/status.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../api/validation/names.js';
import type { UserInfo } from '../auth.js';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';
const SA_PREFIX = 'system:serviceaccount:';

/** What impersonation asks the authorizer (a resource request; structurally the server's Authorizer). */
export interface ImpersonationAuthorizer {
  authorize(user: UserInfo, a: {
    kind: 'resource'; verb: string; group: string; resource: string; subresource?: string; namespace?: string; name?: string;
  }): Promise<ApiError | undefined>;
}

/** Header name (lowercase) -> every value in order: Node's `headersDistinct`. */
export type DistinctHeaders = Record<string, string[] | undefined>;

/** Every value of every header, each as sent (Node joins repeated unknown headers with ", " in `headers`). */
export function distinctHeaders(req: Pick<IncomingMessage, 'headers'> & Partial<Pick<IncomingMessage, 'headersDistinct'>>): DistinctHeaders {
  if (req.headersDistinct) return req.headersDistinct;
  // an injected request (the loopback transport) has only `headers`
  const out: DistinctHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v : [v];
  return out;
}

/** One thing to impersonate (upstream's ObjectReference list), as Go's %v prints it in the 400. */
interface Wanted { kind: 'User' | 'ServiceAccount' | 'Group' | 'UserExtra' | 'UID'; name: string; namespace?: string; extraKey?: string }

/** Whether the request asks to impersonate anything at all. */
export const wantsImpersonation = (headers: DistinctHeaders): boolean =>
  Object.keys(headers).some((h) => h === USER || h === GROUP || h === UID || h.startsWith(EXTRA_PREFIX));

/** The user the request acts as: `requestor` itself without impersonation headers; throws the 403 or 400. */
export async function impersonate(requestor: UserInfo, headers: DistinctHeaders, authorizer: ImpersonationAuthorizer): Promise<UserInfo> {
  const wanted = wantedOf(headers);
  if (wanted.length === 0) return requestor;
  const groupsSpecified = (headers[GROUP] ?? []).length > 0;
  let name = '';
  let uid: string | undefined;
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const w of wanted) {
    let a: Parameters<ImpersonationAuthorizer['authorize']>[1];
    switch (w.kind) {
      case 'ServiceAccount':
        a = { kind: 'resource', verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: w.namespace!, name: w.name };
        name = `${SA_PREFIX}${w.namespace!}:${w.name}`;
        if (!groupsSpecified) groups = ['system:serviceaccounts', `system:serviceaccounts:${w.namespace!}`];
        break;
      case 'User':
        a = { kind: 'resource', verb: 'impersonate', group: '', resource: 'users', name: w.name };
        name = w.name;
        break;
      case 'Group':
        a = { kind: 'resource', verb: 'impersonate', group: '', resource: 'groups', name: w.name };
        groups.push(w.name);
        break;
      case 'UserExtra':
        a = { kind: 'resource', verb: 'impersonate', group: AUTHENTICATION_GROUP, resource: 'userextras', subresource: w.extraKey!, name: w.name };
        (extra[w.extraKey!] ??= []).push(w.name);
        break;
      case 'UID':
        a = { kind: 'resource', verb: 'impersonate', group: AUTHENTICATION_GROUP, resource: 'uids', name: w.name };
        uid = w.name;
        break;
    }
    const denied = await authorizer.authorize(requestor, a);
    if (denied) throw denied;
  }
  // upstream: a user other than anonymous is authenticated unless the groups say otherwise
  const anonymous = name === 'system:anonymous';
  if (anonymous && !groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
  if (!anonymous && !groups.some((g) => g === 'system:authenticated' || g === 'system:unauthenticated')) groups.push('system:authenticated');
  return { name, groups, ...(uid !== undefined ? { uid } : {}), ...(Object.keys(extra).length > 0 ? { extra } : {}) };
}

/** upstream buildImpersonationRequests: the user (or service account), groups, extras, uid, in that order. */
function wantedOf(headers: DistinctHeaders): Wanted[] {
  const out: Wanted[] = [];
  const user = headers[USER]?.[0] ?? '';
  if (user) out.push(serviceAccountOf(user) ?? { kind: 'User', name: user });
  for (const g of headers[GROUP] ?? []) out.push({ kind: 'Group', name: g });
  for (const [h, values] of Object.entries(headers)) {
    if (!h.startsWith(EXTRA_PREFIX)) continue;
    const extraKey = unescapeKey(h.slice(EXTRA_PREFIX.length));
    for (const v of values ?? []) out.push({ kind: 'UserExtra', name: v, extraKey });
  }
  const uid = headers[UID]?.[0] ?? '';
  if (uid) out.push({ kind: 'UID', name: uid });
  if (!user && out.length > 0) throw badRequest(`requested ${goRefs(out)} without impersonating a user`);
  return out;
}

/** upstream serviceaccount.SplitUsername: a namespace that is a DNS label and a name that is a DNS subdomain. */
function serviceAccountOf(user: string): Wanted | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const parts = user.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace = '', name = ''] = parts;
  if (isDNS1123Label(namespace).length > 0 || isDNS1123Subdomain(name).length > 0) return undefined;
  return { kind: 'ServiceAccount', namespace, name };
}

/** Extra keys arrive %-encoded (header names allow few characters); a malformed one is kept as sent. */
function unescapeKey(key: string): string {
  try { return decodeURIComponent(key); } catch { return key; }
}

/** Go's %v of []v1.ObjectReference: `[{Kind Namespace Name UID APIVersion ResourceVersion FieldPath}]`. */
function goRefs(refs: readonly Wanted[]): string {
  const one = (r: Wanted): string => {
    const apiVersion = r.kind === 'UserExtra' || r.kind === 'UID' ? 'authentication.k8s.io/v1' : '';
    return `{${[r.kind, r.namespace ?? '', r.name, '', apiVersion, '', r.extraKey ?? ''].join(' ')}}`;
  };
  return `[${refs.map(one).join(' ')}]`;
}
