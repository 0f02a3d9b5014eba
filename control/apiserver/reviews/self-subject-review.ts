/**
 * authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`; upstream
 * registry/authentication/selfsubjectreview): who the request is — after impersonation — as
 * status.userInfo {username, uid, groups, extra}, created now.
 */
import type { KubeObject } from '../../api/object.js';
import { rfc3339 } from '../../util/clock.js';
import type { Clock } from '../../util/clock.js';
import type { CreateOnlyHandler } from '../routes/resources.js';
import type { ResourceHandler } from '../registry/resource-handler.js';
import { checkedReview } from './review-body.js';

export function selfSubjectReviewHandler(ctx: { handler: ResourceHandler; clock: Clock }): CreateOnlyHandler {
  return async (req) => {
    const review = checkedReview(ctx.handler, req);
    const u = req.user;
    return {
      apiVersion: review.apiVersion ?? 'authentication.k8s.io/v1', kind: review.kind ?? 'SelfSubjectReview',
      metadata: { creationTimestamp: rfc3339(ctx.clock.now()) },
      status: {
        userInfo: {
          username: u.name,
          ...(u.uid ? { uid: u.uid } : {}),
          ...(u.groups.length > 0 ? { groups: [...u.groups] } : {}),
          ...(u.extra && Object.keys(u.extra).length > 0 ? { extra: u.extra } : {}),
        },
      },
    } as KubeObject;
  };
}
