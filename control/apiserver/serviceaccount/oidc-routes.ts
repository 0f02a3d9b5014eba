/**
 * OIDC discovery for ServiceAccount tokens (upstream pkg/serviceaccount/openidmetadata.go):
 * `/.well-known/openid-configuration` (application/json) and `/openid/v1/jwks`
 * (application/jwk-set+json), both cacheable for an hour. Who may read them is the authorizer's
 * (upstream grants them to system:serviceaccounts through system:service-account-issuer-discovery).
 */
import type { FastifyInstance } from 'fastify';
import type { ServiceAccountKey } from '../../pki/service-account-key.js';
import { SA_ISSUER } from './claims.js';

export const OIDC_CONFIG_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';
const CACHE_CONTROL = 'public, max-age=3600';

/** PURE. The discovery document; `jwksUri` is where this server serves the key set. */
export function openIdConfiguration(jwksUri: string, issuer = SA_ISSUER): Record<string, unknown> {
  return {
    issuer, jwks_uri: jwksUri, response_types_supported: ['id_token'], subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

/** PURE. The public keys as a JWK set. */
export function jwks(keys: readonly Pick<ServiceAccountKey, 'publicKey' | 'keyId'>[]): { keys: Record<string, unknown>[] } {
  return {
    keys: keys.map((k) => {
      const jwk = k.publicKey.export({ format: 'jwk' });
      return { use: 'sig', kty: jwk.kty, kid: k.keyId, alg: 'RS256', n: jwk.n, e: jwk.e };
    }),
  };
}

export interface OidcRoutesOptions {
  keys: readonly Pick<ServiceAccountKey, 'publicKey' | 'keyId'>[];
  /** The server's external URL (https://<advertise address>:<port>), the base of jwks_uri. */
  externalUrl: () => string;
}

export function registerOidcRoutes(app: FastifyInstance, o: OidcRoutesOptions): void {
  const keySet = Buffer.from(JSON.stringify(jwks(o.keys))); // bytes: the content type stays exactly upstream's
  for (const path of [OIDC_CONFIG_PATH, `${OIDC_CONFIG_PATH}/`]) {
    app.get(path, async (_req, reply) => reply.header('Cache-Control', CACHE_CONTROL).type('application/json')
      .send(Buffer.from(JSON.stringify(openIdConfiguration(`${o.externalUrl()}${JWKS_PATH}`)))));
  }
  for (const path of [JWKS_PATH, `${JWKS_PATH}/`]) {
    app.get(path, async (_req, reply) => reply.header('Cache-Control', CACHE_CONTROL).type('application/jwk-set+json').send(keySet));
  }
}
