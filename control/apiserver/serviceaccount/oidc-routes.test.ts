import { createPublicKey, createVerify } from 'node:crypto';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { signJwt } from '../../pki/jwt.js';
import { generateServiceAccountKey } from '../../pki/service-account-key.js';
import { registerOidcRoutes } from './oidc-routes.js';

const KEY = generateServiceAccountKey();

describe('OIDC discovery routes', () => {
  it('serve the discovery document and a JWK set that verifies our tokens', async () => {
    const app = Fastify();
    registerOidcRoutes(app, { keys: [KEY], externalUrl: () => 'https://10.0.0.1:6443' });
    const conf = await app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    expect(conf.headers['content-type']).toBe('application/json');
    expect(conf.headers['cache-control']).toBe('public, max-age=3600');
    expect(conf.json()).toEqual({
      issuer: 'https://kubernetes.default.svc.cluster.local', jwks_uri: 'https://10.0.0.1:6443/openid/v1/jwks',
      response_types_supported: ['id_token'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
    });
    const set = await app.inject({ method: 'GET', url: '/openid/v1/jwks' });
    expect(set.headers['content-type']).toBe('application/jwk-set+json');
    const { keys } = set.json<{ keys: { kid: string; use: string; alg: string; kty: string; n: string; e: string }[] }>();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid: KEY.keyId, use: 'sig', alg: 'RS256', kty: 'RSA', e: 'AQAB' });
    const pub = createPublicKey({ key: { kty: 'RSA', n: keys[0]!.n, e: keys[0]!.e }, format: 'jwk' });
    const [h, c, s] = signJwt({ iss: 'x' }, KEY).split('.');
    expect(createVerify('RSA-SHA256').update(`${h}.${c}`).verify(pub, Buffer.from(s!, 'base64url'))).toBe(true);
    await app.close();
  });
});
