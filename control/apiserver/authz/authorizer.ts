/**
 * The API server's authorizer, chained as upstream's `--authorization-mode=Node,RBAC` behind the
 * superuser: system:masters may do anything; a node gets what the Node authorizer allows; every
 * other request (nodes' too, for what the Node authorizer does not allow, bootstrap tokens,
 * anonymous users) is RBAC's, from the roles and bindings in the in-memory policy index. It decides
 * on the RequestInfo the router serves (http/request-info.ts); a path that does not parse is
 * refused to all but admins.
 */
import { forbidden } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';
import type { UserInfo } from '../auth.js';
import { forbiddenMessage } from '../authorize.js';
import type { RequestAttributes } from '../authorize.js';
import { NodeAuthorizer } from './node-authorizer.js';
import { nodeIdentity } from './node-identity.js';
import type { ObjectLookup } from './object-lookup.js';
import { listUserRules } from './rbac/list-rules.js';
import type { UserRules } from './rbac/list-rules.js';
import type { PolicyReader } from './rbac/policy-index.js';
import { rbacAuthorize } from './rbac/rbac-authorizer.js';

/** What is asked: a RequestInfo, or the attributes of an access review. */
export type AuthorizationRequest =
  | ({ kind: 'resource' } & RequestAttributes)
  | { kind: 'nonResource'; verb: string; path: string }
  | { kind: 'unparsable'; verb: string; path: string };

export interface Authorizer {
  /** undefined when the user may make the request, the 403 otherwise. */
  authorize(user: UserInfo, info: AuthorizationRequest): Promise<ApiError | undefined>;
  /** The RBAC rules that apply to the user in the namespace (SelfSubjectRulesReview). */
  listRules(user: UserInfo, namespace: string | undefined): Promise<UserRules>;
}

export const SUPERUSER_GROUP = 'system:masters';

export function createAuthorizer(opts: { lookup: ObjectLookup; policy: PolicyReader; synced: Promise<void> }): Authorizer {
  const nodes = new NodeAuthorizer({ lookup: opts.lookup });
  let synced = false;
  void opts.synced.then(() => { synced = true; });
  const policy = async (): Promise<PolicyReader> => {
    if (!synced) await opts.synced;
    return opts.policy;
  };
  return {
    async authorize(user, info) {
      if (user.groups.includes(SUPERUSER_GROUP)) return undefined;
      if (info.kind === 'unparsable') return forbidden(forbiddenMessage(user, info));
      const node = nodeIdentity(user);
      let nodeDenied: ApiError | undefined;
      if (node !== undefined && info.kind === 'resource') {
        nodeDenied = await nodes.authorize(user, node, info);
        if (!nodeDenied) return undefined;
      }
      const decision = rbacAuthorize(await policy(), user, info);
      if (decision.allowed) return undefined;
      if (nodeDenied) return decision.reason ? forbidden(`${nodeDenied.status.message ?? ''}, ${decision.reason}`) : nodeDenied;
      return forbidden(forbiddenMessage(user, info) + (decision.reason ? `: ${decision.reason}` : ''));
    },
    async listRules(user, namespace) {
      return listUserRules(await policy(), user, namespace);
    },
  };
}
