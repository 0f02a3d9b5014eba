/**
 * The API server's authorizer: system:masters may do anything; nodes (system:nodes) get the Node
 * authorizer and, outside the resources, what every user may read; bootstrap tokens their fixed
 * rules; every other user is unrestricted (no RBAC yet). It decides on the RequestInfo the
 * router serves (http/request-info.ts); a path that does not parse is refused to all but admins.
 */
import { forbidden } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';
import type { UserInfo } from '../auth.js';
import { authorize, forbiddenMessage } from '../authorize.js';
import type { RequestInfo } from '../http/request-info.js';
import { NodeAuthorizer } from './node-authorizer.js';
import { nodeIdentity } from './node-identity.js';
import { nonResourceAllowed } from './non-resource-rules.js';
import type { ObjectLookup } from './object-lookup.js';

export interface Authorizer {
  /** undefined when the user may make the request, the 403 otherwise. */
  authorize(user: UserInfo, info: RequestInfo): Promise<ApiError | undefined>;
}

export function createAuthorizer(opts: { lookup: ObjectLookup }): Authorizer {
  const nodes = new NodeAuthorizer({ lookup: opts.lookup });
  return {
    async authorize(user, info) {
      const node = nodeIdentity(user);
      if (node === undefined || user.groups.includes('system:masters')) return authorize(user, info);
      if (info.kind === 'resource') return nodes.authorize(user, node, info);
      return info.kind === 'nonResource' && nonResourceAllowed(info) ? undefined : forbidden(forbiddenMessage(user, info));
    },
  };
}
