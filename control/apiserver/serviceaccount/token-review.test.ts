import { describe, expect, it } from 'vitest';
import type { TokenReview } from 'kubernetes-types/authentication/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { TokenAndCertAuthenticator, UnionAuthenticator } from '../auth.js';
import { signJwt } from '../../pki/jwt.js';
import { generateServiceAccountKey } from '../../pki/service-account-key.js';
import { FakeClock } from '../../util/clock.js';
import { boundClaims } from './claims.js';
import { FakeTokenGetter } from './fake-token-getter.js';
import { ServiceAccountTokenAuthenticator } from './token-authenticator.js';
import { tokenReviewHandler } from './token-review.js';

const KEY = generateServiceAccountKey();
const ISS = 'https://kubernetes.default.svc.cluster.local';
const T0 = Date.UTC(2026, 0, 1);
const RI = findResource('authentication.k8s.io', 'v1', 'tokenreviews')!;

function setup() {
  const getter = new FakeTokenGetter();
  getter.put({ kind: 'ServiceAccount', metadata: { namespace: 'ns', name: 'robot', uid: 'sa-uid' } });
  const sa = new ServiceAccountTokenAuthenticator({ keys: [KEY], getter, apiAudiences: [ISS], clock: new FakeClock(T0) });
  const all = new UnionAuthenticator([new TokenAndCertAuthenticator({ tokens: new Map([['static', { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }]]) }), sa]);
  const handler = tokenReviewHandler({ serviceAccounts: sa, authenticator: all, apiAudiences: [ISS] });
  return async (spec: Partial<TokenReview['spec']>) => (await handler({
    ri: RI, user: { name: 'admin', groups: [] }, dryRun: false,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec } as KubeObject,
  })) as unknown as TokenReview;
}

const saToken = (audiences = [ISS]) => signJwt(boundClaims({
  namespace: 'ns', serviceAccount: { name: 'robot', uid: 'sa-uid' }, audiences, now: T0 / 1000, expirationSeconds: 3600, jti: 'j',
}), KEY);

describe('TokenReview', () => {
  it('answers who a ServiceAccount token is, for its audiences', async () => {
    const review = setup();
    expect((await review({ token: saToken() })).status).toEqual({
      authenticated: true, audiences: [ISS],
      user: {
        username: 'system:serviceaccount:ns:robot', uid: 'sa-uid',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': ['JTI=j'] },
      },
    });
    expect((await review({ token: saToken(['vault']), audiences: ['vault'] })).status).toMatchObject({ authenticated: true, audiences: ['vault'] });
    expect((await review({ token: saToken(['vault']) })).status).toEqual({
      user: {}, error: '[invalid bearer token, token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]]',
    });
  });

  it('asks the other authenticators about other tokens, only for the API audiences', async () => {
    const review = setup();
    expect((await review({ token: 'static' })).status).toEqual({
      authenticated: true, audiences: [ISS], user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
    });
    expect((await review({ token: 'static', audiences: ['vault'] })).status).toEqual({ user: {}, error: 'invalid bearer token' });
    expect((await review({ token: 'nonsense' })).status).toEqual({ user: {}, error: 'invalid bearer token' });
  });

  it('needs a token', async () => {
    const review = setup();
    await expect(review({})).rejects.toMatchObject({ code: 400, message: 'token is required for TokenReview in authentication' });
  });
});
