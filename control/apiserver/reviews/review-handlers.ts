/**
 * The review kinds' create-only handlers, keyed as routes/resources.ts looks them up
 * (`<group>/<resource>`): the access reviews, the rules review and SelfSubjectReview. Every
 * authenticated user may create the self reviews (upstream's system:basic-user); who may ask about
 * others (SubjectAccessReview, LocalSubjectAccessReview) is the authorizer's ordinary decision.
 */
import { systemClock } from '../../util/clock.js';
import type { Clock } from '../../util/clock.js';
import type { CreateOnlyHandlers } from '../routes/resources.js';
import type { ResourceHandler } from '../registry/resource-handler.js';
import { accessReviewHandlers } from './access-reviews.js';
import type { ReviewAuthorizer } from './access-reviews.js';
import { rulesReviewHandler } from './rules-review.js';
import type { RulesLister } from './rules-review.js';
import { selfSubjectReviewHandler } from './self-subject-review.js';

export function reviewHandlers(ctx: { handler: ResourceHandler; authorizer: ReviewAuthorizer & RulesLister; clock?: Clock }): CreateOnlyHandlers {
  const access = accessReviewHandlers(ctx);
  return {
    'authorization.k8s.io/selfsubjectaccessreviews': access.selfSubjectAccessReview,
    'authorization.k8s.io/subjectaccessreviews': access.subjectAccessReview,
    'authorization.k8s.io/localsubjectaccessreviews': access.localSubjectAccessReview,
    'authorization.k8s.io/selfsubjectrulesreviews': rulesReviewHandler(ctx),
    'authentication.k8s.io/selfsubjectreviews': selfSubjectReviewHandler({ handler: ctx.handler, clock: ctx.clock ?? systemClock }),
  };
}
