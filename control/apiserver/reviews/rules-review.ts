/**
 * authorization.k8s.io/v1 SelfSubjectRulesReview (`kubectl auth can-i --list`; upstream
 * registry/authorization/selfsubjectrulesreview): the rules that apply to the caller in
 * spec.namespace, as upstream's union of rule resolvers reports them — RBAC's rules (bindings to
 * missing roles make it incomplete, with their errors), a superuser's `*` on everything, and for a
 * node the Node authorizer's "cannot enumerate" (incomplete, with its evaluation error).
 */
import type { KubeObject } from '../../api/object.js';
import { badRequest } from '../../api/status.js';
import type { UserInfo } from '../auth.js';
import { nodeIdentity } from '../authz/node-identity.js';
import type { CreateOnlyHandler } from '../routes/resources.js';
import type { ResourceHandler } from '../registry/resource-handler.js';
import { checkedReview } from './review-body.js';
import { isRecord } from '../../api/object.js';

export interface ResourceRule { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }
export interface NonResourceRule { verbs: string[]; nonResourceURLs?: string[] }
export interface RulesReviewStatus {
  resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[]; incomplete: boolean; evaluationError?: string;
}

/** The part of the server's Authorizer the review asks: the RBAC rules of a user in a namespace. */
export interface RulesLister {
  listRules(user: UserInfo, namespace: string | undefined): Promise<RulesReviewStatus>;
}

const SUPERUSER_GROUP = 'system:masters';
const NODE_RULES_ERROR = 'node authorizer does not support user rule resolution';

export function rulesReviewHandler(ctx: { handler: ResourceHandler; authorizer: RulesLister }): CreateOnlyHandler {
  return async (req) => {
    const review = checkedReview(ctx.handler, req);
    const spec = isRecord(review['spec']) ? review['spec'] : {};
    const namespace = typeof spec['namespace'] === 'string' ? spec['namespace'] : '';
    if (!namespace) throw badRequest('no namespace on request');
    const status = await userRules(ctx.authorizer, req.user, namespace);
    return { apiVersion: review.apiVersion, kind: review.kind, metadata: { creationTimestamp: null }, spec: {}, status } as unknown as KubeObject;
  };
}

/** PURE but for the lister. The union of what each authorizer in the chain can say about the user. */
export async function userRules(lister: RulesLister, user: UserInfo, namespace: string): Promise<RulesReviewStatus> {
  const rbac = await lister.listRules(user, namespace);
  const resourceRules = [...rbac.resourceRules];
  const nonResourceRules = [...rbac.nonResourceRules];
  // RBAC's error is already an aggregate ("[a, b]" for several); upstream's union flattens nested ones
  const rbacError = rbac.evaluationError ?? '';
  const errors = rbacError.startsWith('[') && rbacError.endsWith(']') ? rbacError.slice(1, -1).split(', ') : rbacError ? [rbacError] : [];
  let incomplete = rbac.incomplete;
  if (user.groups.includes(SUPERUSER_GROUP) && !resourceRules.some(isEverything)) {
    // upstream answers it through the cluster-admin binding of system:masters
    resourceRules.unshift({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    nonResourceRules.unshift({ verbs: ['*'], nonResourceURLs: ['*'] });
  }
  if (nodeIdentity(user) !== undefined) {
    incomplete = true;
    errors.unshift(NODE_RULES_ERROR);
  }
  return {
    resourceRules, nonResourceRules, incomplete,
    ...(errors.length > 0 ? { evaluationError: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` } : {}),
  };
}

const isEverything = (r: ResourceRule): boolean =>
  r.verbs.includes('*') && (r.apiGroups ?? []).includes('*') && (r.resources ?? []).includes('*') && (r.resourceNames ?? []).length === 0;
