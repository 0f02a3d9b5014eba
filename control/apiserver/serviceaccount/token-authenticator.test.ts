import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { signJwt } from '../../pki/jwt.js';
import { generateServiceAccountKey } from '../../pki/service-account-key.js';
import { FakeClock } from '../../util/clock.js';
import { boundClaims, legacyClaims } from './claims.js';
import { FakeTokenGetter } from './fake-token-getter.js';
import { ServiceAccountTokenAuthenticator } from './token-authenticator.js';

const KEY = generateServiceAccountKey();
const OTHER = generateServiceAccountKey();
const ISS = 'https://kubernetes.default.svc.cluster.local';
const T0 = Date.UTC(2026, 0, 1);
const NOW = T0 / 1000;

function setup() {
  const getter = new FakeTokenGetter();
  getter.put({ kind: 'ServiceAccount', metadata: { namespace: 'ns', name: 'robot', uid: 'sa-uid' } });
  getter.put({ kind: 'Pod', metadata: { namespace: 'ns', name: 'p', uid: 'pod-uid' }, spec: { containers: [] } });
  const clock = new FakeClock(T0);
  const auth = new ServiceAccountTokenAuthenticator({ keys: [KEY], getter, apiAudiences: [ISS], clock });
  return { getter, clock, auth };
}

const bound = (o: Partial<Parameters<typeof boundClaims>[0]> = {}, key = KEY) => signJwt(boundClaims({
  namespace: 'ns', serviceAccount: { name: 'robot', uid: 'sa-uid' }, audiences: [ISS], now: NOW, expirationSeconds: 3600, jti: 'j1', ...o,
}), key);

const SA_USER = {
  name: 'system:serviceaccount:ns:robot', uid: 'sa-uid',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
};

describe('ServiceAccountTokenAuthenticator', () => {
  it('authenticates a bound token as the ServiceAccount with upstream groups and extra', async () => {
    const { auth } = setup();
    expect(await auth.authenticateToken(bound({ pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } }))).toEqual({
      audiences: [ISS],
      user: { ...SA_USER, extra: {
        'authentication.kubernetes.io/pod-name': ['p'], 'authentication.kubernetes.io/pod-uid': ['pod-uid'],
        'authentication.kubernetes.io/node-name': ['n1'], 'authentication.kubernetes.io/node-uid': ['node-uid'],
        'authentication.kubernetes.io/credential-id': ['JTI=j1'],
      } },
    });
    const req = { headers: { authorization: `Bearer ${bound()}` } } as IncomingMessage;
    expect(await auth.authenticate(req)).toMatchObject(SA_USER);
  });

  it('leaves tokens of other issuers and non-JWTs to the other authenticators', async () => {
    const { auth } = setup();
    expect(await auth.authenticateToken('abcdef.0123456789abcdef')).toBeUndefined();
    expect(await auth.authenticateToken(signJwt({ iss: 'https://accounts.example.com' }, KEY))).toBeUndefined();
  });

  it('refuses a wrong signature, audience, expiry, a deleted SA or bound pod', async () => {
    const { auth, clock, getter } = setup();
    expect(await auth.authenticateToken(bound({}, OTHER))).toEqual({ error: 'invalid signature, no keys found' });
    expect(await auth.authenticateToken(bound({ audiences: ['vault'] }))).toEqual({
      error: 'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]',
    });
    expect(await auth.authenticateToken(bound({ audiences: ['vault'] }), ['vault'])).toMatchObject({ audiences: ['vault'] });
    const podToken = bound({ pod: { name: 'p', uid: 'pod-uid' } });
    clock.advance(3659_000);
    expect(await auth.authenticateToken(podToken)).toHaveProperty('user');
    clock.advance(2_000);
    expect(await auth.authenticateToken(podToken)).toEqual({ error: 'service account token has expired' });
    clock.advance(-3661_000);
    getter.put({ kind: 'Pod', metadata: { namespace: 'ns', name: 'p', uid: 'pod-uid', deletionTimestamp: new Date(T0 - 30_000).toISOString() } });
    expect(await auth.authenticateToken(podToken)).toHaveProperty('user'); // within the leeway
    getter.put({ kind: 'Pod', metadata: { namespace: 'ns', name: 'p', uid: 'pod-uid', deletionTimestamp: new Date(T0 - 61_000).toISOString() } });
    expect(await auth.authenticateToken(podToken)).toEqual({ error: 'service account token has been invalidated' });
    getter.pods.clear();
    expect(await auth.authenticateToken(podToken)).toEqual({ error: 'service account token has been invalidated' });
    getter.put({ kind: 'ServiceAccount', metadata: { namespace: 'ns', name: 'robot', uid: 'new-uid' } });
    expect(await auth.authenticateToken(bound())).toEqual({ error: 'service account UID (new-uid) does not match claim (sa-uid)' });
    getter.serviceAccounts.clear();
    expect(await auth.authenticateToken(bound())).toEqual({ error: 'serviceaccounts "robot" not found' });
  });

  it('authenticates a legacy token only while its Secret holds it', async () => {
    const { auth, getter } = setup();
    const token = signJwt(legacyClaims('ns', { name: 'robot', uid: 'sa-uid' }, 'robot-token-abcde'), KEY);
    const secret = (data: string) => ({ kind: 'Secret' as const, metadata: { namespace: 'ns', name: 'robot-token-abcde', uid: 's' }, data: { token: Buffer.from(data).toString('base64') } });
    expect(await auth.authenticateToken(token)).toEqual({ error: 'token has been invalidated' });
    getter.put(secret(token));
    expect(await auth.authenticateToken(token)).toEqual({ user: SA_USER, audiences: [ISS] });
    expect(await auth.authenticateToken(token, ['vault'])).toHaveProperty('error');
    getter.put(secret('other'));
    expect(await auth.authenticateToken(token)).toEqual({ error: "token does not match server's copy" });
  });
});
