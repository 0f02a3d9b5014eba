/**
 * Which node a user is (upstream's default NodeIdentifier): a user in group system:nodes whose
 * name is system:node:<name>. A user in the group with another name is a node nobody can
 * identify (nodeName ''), refused everything; a user outside the group is no node at all.
 */
import type { UserInfo } from '../auth.js';

export const NODES_GROUP = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';

/** PURE. The node's name ('' when it cannot be told), or undefined when the user is not a node. */
export function nodeIdentity(user: Pick<UserInfo, 'name' | 'groups'>): string | undefined {
  if (!user.groups.includes(NODES_GROUP)) return undefined;
  return user.name.startsWith(NODE_USER_PREFIX) ? user.name.slice(NODE_USER_PREFIX.length) : '';
}
