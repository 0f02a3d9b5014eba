/**
 * The API server's authorizer: system:masters may do anything; nodes (system:nodes) get the Node
 * authorizer; bootstrap tokens their fixed rules; every other user is unrestricted (no RBAC yet).
 */
import type { ApiError } from '../../api/status.js';
import type { UserInfo } from '../auth.js';
import { authorize, requestAttributes } from '../authorize.js';
import { NodeAuthorizer } from './node-authorizer.js';
import { nodeIdentity } from './node-identity.js';
import type { ObjectLookup } from './object-lookup.js';

export interface Authorizer {
  /** undefined when the user may make the request, the 403 otherwise. */
  authorize(user: UserInfo, method: string, url: string): Promise<ApiError | undefined>;
}

export function createAuthorizer(opts: { lookup: ObjectLookup }): Authorizer {
  const nodes = new NodeAuthorizer({ lookup: opts.lookup });
  return {
    async authorize(user, method, url) {
      if (user.groups.includes('system:masters')) return undefined;
      const node = nodeIdentity(user);
      if (node !== undefined) return nodes.authorize(user, node, requestAttributes(method, url));
      return authorize(user, method, url);
    },
  };
}
