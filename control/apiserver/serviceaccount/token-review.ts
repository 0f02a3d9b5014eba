/**
 * POST authentication.k8s.io/v1 tokenreviews (upstream registry/authentication/tokenreview): who
 * a bearer token is, for the requested audiences (default the API's). ServiceAccount tokens are
 * checked against their own audiences; every other token (static, bootstrap) is audience-agnostic
 * and good only where the requested audiences meet the API's.
 */
import type { IncomingMessage } from 'node:http';
import type { TokenReview } from 'kubernetes-types/authentication/v1.js';
import type { KubeObject } from '../../api/object.js';
import { badRequest } from '../../api/status.js';
import type { Authenticator, UserInfo } from '../auth.js';
import type { CreateOnlyHandler } from '../routes/resources.js';
import type { TokenResult } from './token-authenticator.js';

export interface TokenReviewOptions {
  /** ServiceAccount tokens, for given audiences. */
  serviceAccounts: { authenticateToken(token: string, audiences: readonly string[]): Promise<TokenResult> };
  /** Every authenticator of the server (a bearer token in a request of its own). */
  authenticator: Authenticator;
  apiAudiences: readonly string[];
}

const INVALID_TOKEN = 'invalid bearer token';

/** What the other authenticators make of a token, asked as a request carrying only it. */
async function byRequest(authenticator: Authenticator, token: string): Promise<UserInfo | undefined> {
  const fake = { headers: { authorization: `Bearer ${token}` }, socket: {} } as unknown as IncomingMessage;
  return authenticator.authenticate(fake);
}

const userStatus = (u: UserInfo): NonNullable<TokenReview['status']>['user'] => ({
  username: u.name, ...(u.uid ? { uid: u.uid } : {}), groups: [...u.groups], ...(u.extra ? { extra: u.extra } : {}),
});

export function tokenReviewHandler(o: TokenReviewOptions): CreateOnlyHandler {
  return async (req) => {
    const body = req.body as KubeObject & Partial<TokenReview>;
    const token = body.spec?.token ?? '';
    if (token === '') throw badRequest('token is required for TokenReview in authentication');
    const requested = body.spec?.audiences && body.spec.audiences.length > 0 ? body.spec.audiences : [...o.apiAudiences];
    const review: TokenReview = {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview',
      metadata: body.metadata ?? {},
      spec: { ...body.spec, token },
      status: { user: {} },
    };
    const sa = await o.serviceAccounts.authenticateToken(token, requested);
    if (sa && 'user' in sa) {
      review.status = { authenticated: true, user: userStatus(sa.user), audiences: sa.audiences };
    } else if (sa) {
      review.status = { user: {}, error: `[${INVALID_TOKEN}, ${sa.error}]` };
    } else {
      const auds = o.apiAudiences.filter((a) => requested.includes(a));
      const user = auds.length > 0 ? await byRequest(o.authenticator, token) : undefined;
      review.status = user ? { authenticated: true, user: userStatus(user), audiences: auds } : { user: {}, error: INVALID_TOKEN };
    }
    return review as unknown as KubeObject;
  };
}
