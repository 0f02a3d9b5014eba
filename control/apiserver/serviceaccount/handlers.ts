/**
 * Everything ServiceAccount tokens add to the API server, built from the signing key and the
 * object store: the authenticator (for the union), the create-only handlers (`serviceaccounts/token`,
 * `tokenreviews`) and the OIDC discovery routes.
 */
import type { FastifyInstance } from 'fastify';
import { findResource } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { Clock } from '../../util/clock.js';
import type { ServiceAccountKey } from '../../pki/service-account-key.js';
import type { Authenticator } from '../auth.js';
import type { ObjectStore } from '../registry/object-store.js';
import { createOnlyKey } from '../routes/resources.js';
import type { CreateOnlyHandlers } from '../routes/resources.js';
import { SA_ISSUER } from './claims.js';
import { registerOidcRoutes } from './oidc-routes.js';
import { ServiceAccountTokenAuthenticator } from './token-authenticator.js';
import { storeTokenGetter } from './token-getter.js';
import { tokenRequestHandler } from './token-request.js';
import { tokenReviewHandler } from './token-review.js';

export interface ServiceAccountTokensOptions {
  key: ServiceAccountKey;
  objects: ObjectStore;
  clock: Clock;
  /** --api-audiences; default [the issuer]. */
  apiAudiences?: readonly string[];
}

export interface ServiceAccountTokens {
  authenticator: ServiceAccountTokenAuthenticator;
  /** The create-only handlers, given the server's whole authenticator (TokenReview asks it about other tokens). */
  handlers(all: Authenticator): CreateOnlyHandlers;
  /** /.well-known/openid-configuration and /openid/v1/jwks. */
  registerRoutes(app: FastifyInstance, externalUrl: () => string): void;
}

export function serviceAccountTokens(o: ServiceAccountTokensOptions): ServiceAccountTokens {
  const apiAudiences = o.apiAudiences ?? [SA_ISSUER];
  const getter = storeTokenGetter(o.objects);
  const authenticator = new ServiceAccountTokenAuthenticator({ keys: [o.key], getter, apiAudiences, clock: o.clock });
  return {
    authenticator,
    handlers: (all) => ({
      [createOnlyKey(findResource('', 'v1', 'serviceaccounts') as ResourceInfo, 'token')]:
        tokenRequestHandler({ key: o.key, getter, apiAudiences, clock: o.clock }),
      [createOnlyKey(findResource('authentication.k8s.io', 'v1', 'tokenreviews') as ResourceInfo)]:
        tokenReviewHandler({ serviceAccounts: authenticator, authenticator: all, apiAudiences }),
    }),
    registerRoutes: (app, externalUrl) => registerOidcRoutes(app, { keys: [o.key], externalUrl }),
  };
}
