/**
 * authorization.k8s.io/v1 SelfSubjectAccessReview, SubjectAccessReview and
 * LocalSubjectAccessReview (upstream registry/authorization/*): validated as upstream validates
 * them (422 with causes), then answered by the server's own Authorizer — the chain every request
 * goes through — for the attributes the spec names: the caller (self), or the user, groups, uid
 * and extra of the spec. Status as upstream: `allowed`, and `denied`/`reason`/`evaluationError`
 * only when set (the Node and RBAC authorizers never deny outright, so `denied` stays absent).
 */
import type { KubeObject } from '../../api/object.js';
import { badRequest, invalid } from '../../api/status.js';
import type { ApiError, FieldError } from '../../api/status.js';
import type { UserInfo } from '../auth.js';
import { forbiddenMessage } from '../authorize.js';
import type { CreateOnlyHandler, CreateOnlyRequest } from '../routes/resources.js';
import type { ResourceHandler } from '../registry/resource-handler.js';
import { attributesOf, specOf, validateAttributeChoice, validateLocalSpec, validateSubjectSpec } from './access-review-spec.js';
import type { AccessReviewSpec, ReviewAttributes } from './access-review-spec.js';
import { checkedReview, validateEmptyMetadata } from './review-body.js';

/** The part of the server's Authorizer a review asks. */
export interface ReviewAuthorizer {
  authorize(user: UserInfo, a: ReviewAttributes): Promise<ApiError | undefined>;
}

/** upstream SubjectAccessReviewStatus (JSON: allowed always, the rest when set). */
export interface AccessReviewStatus { allowed: boolean; denied?: boolean; reason?: string; evaluationError?: string }

export interface AccessReviewHandlers {
  selfSubjectAccessReview: CreateOnlyHandler;
  subjectAccessReview: CreateOnlyHandler;
  localSubjectAccessReview: CreateOnlyHandler;
}

export function accessReviewHandlers(ctx: { handler: ResourceHandler; authorizer: ReviewAuthorizer }): AccessReviewHandlers {
  const decide = async (user: UserInfo, spec: AccessReviewSpec): Promise<AccessReviewStatus> => {
    const attrs = attributesOf(spec);
    const refused = await ctx.authorizer.authorize(user, attrs);
    if (!refused) return { allowed: true };
    const reason = reasonOf(refused, forbiddenMessage(user, attrs));
    return { allowed: false, ...(reason ? { reason } : {}) };
  };
  const answer = async (review: KubeObject, user: UserInfo, spec: AccessReviewSpec): Promise<KubeObject> =>
    ({ ...review, metadata: { creationTimestamp: null, ...review.metadata }, status: await decide(user, spec) } as KubeObject);
  const refuse = (req: CreateOnlyRequest, errs: FieldError[]): ApiError => invalid(req.ri.kind, req.ri, '', errs);

  return {
    async selfSubjectAccessReview(req) {
      const review = checkedReview(ctx.handler, req);
      const spec = specOf(review);
      const errs = [...validateAttributeChoice(spec), ...validateEmptyMetadata(review, [], 'must be empty')];
      if (errs.length > 0) throw refuse(req, errs);
      return answer(review, req.user, spec);
    },
    async subjectAccessReview(req) {
      const review = checkedReview(ctx.handler, req);
      const spec = specOf(review);
      const errs = [...validateSubjectSpec(spec), ...validateEmptyMetadata(review, [], 'must be empty')];
      if (errs.length > 0) throw refuse(req, errs);
      return answer(review, subjectOf(spec), spec);
    },
    async localSubjectAccessReview(req) {
      if (!req.namespace) throw badRequest('namespace is required on this type: ');
      const review = checkedReview(ctx.handler, req);
      const spec = specOf(review);
      const errs = [
        ...validateLocalSpec(spec, req.namespace), ...validateEmptyMetadata(review, ['namespace'], 'must be empty except for namespace'),
      ];
      if (errs.length > 0) throw refuse(req, errs);
      return answer(review, subjectOf(spec), spec);
    },
  };
}

/**
 * The authorizers' reason (`RBAC: clusterrole… not found` when bindings name missing roles): the
 * refusal is the request's 403 message, then `: <reason>` when there is one.
 */
function reasonOf(refused: ApiError, message: string): string | undefined {
  const text = refused.status.message ?? '';
  return text.startsWith(`${message}: `) ? text.slice(message.length + 2) : undefined;
}

/** upstream AuthorizationAttributesFrom: the user the spec names, no group added. */
function subjectOf(spec: AccessReviewSpec): UserInfo {
  const extra = spec.extra && Object.keys(spec.extra).length > 0 ? spec.extra : undefined;
  return { name: spec.user ?? '', groups: [...(spec.groups ?? [])], ...(spec.uid ? { uid: spec.uid } : {}), ...(extra ? { extra } : {}) };
}
