import { describe, expect, it } from 'vitest';
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { decodeJwt, verifyJwtSignature } from '../../pki/jwt.js';
import { generateServiceAccountKey } from '../../pki/service-account-key.js';
import { FakeClock } from '../../util/clock.js';
import { FakeTokenGetter } from './fake-token-getter.js';
import { tokenRequestHandler } from './token-request.js';

const KEY = generateServiceAccountKey();
const ISS = 'https://kubernetes.default.svc.cluster.local';
const SA_RI = findResource('', 'v1', 'serviceaccounts')!;

function setup() {
  const getter = new FakeTokenGetter();
  getter.put({ kind: 'ServiceAccount', metadata: { namespace: 'ns', name: 'robot', uid: 'sa-uid' } });
  getter.put({ kind: 'Pod', metadata: { namespace: 'ns', name: 'p', uid: 'pod-uid' }, spec: { serviceAccountName: 'robot', nodeName: 'n1', containers: [] } });
  getter.put({ kind: 'Pod', metadata: { namespace: 'ns', name: 'other', uid: 'o-uid' }, spec: { serviceAccountName: 'default', containers: [] } });
  getter.put({ kind: 'Node', metadata: { name: 'n1', uid: 'node-uid' } });
  getter.put({ kind: 'Secret', metadata: { namespace: 'ns', name: 's', uid: 'secret-uid' } });
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const handler = tokenRequestHandler({ key: KEY, getter, apiAudiences: [ISS], clock });
  const request = async (spec: Partial<TokenRequest['spec']>, name = 'robot') => (await handler({
    ri: SA_RI, user: { name: 'admin', groups: [] }, namespace: 'ns', name, subresource: 'token', dryRun: false,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec } as KubeObject,
  })) as unknown as TokenRequest;
  return { getter, clock, request };
}

const failure = async (p: Promise<unknown>) => {
  try { await p; } catch (err) { if (isApiError(err)) return { code: err.code, message: err.message, causes: err.status.details?.causes }; throw err; }
  throw new Error('expected a failure');
};

describe('TokenRequest', () => {
  it('defaults to an hour for the API audiences, with upstream claims', async () => {
    const { request } = setup();
    const tr = await request({});
    expect(tr.spec).toMatchObject({ audiences: [ISS], expirationSeconds: 3600 });
    expect(tr.status?.expirationTimestamp).toBe('2026-01-01T01:00:00Z');
    expect(tr.metadata).toMatchObject({ name: 'robot', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' });
    const jwt = decodeJwt(tr.status!.token)!;
    verifyJwtSignature(jwt, [KEY]);
    const now = Date.UTC(2026, 0, 1) / 1000;
    expect(jwt.claims).toEqual({
      aud: [ISS], exp: now + 3600, iat: now, nbf: now, iss: ISS, jti: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      sub: 'system:serviceaccount:ns:robot', 'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'robot', uid: 'sa-uid' } },
    });
  });

  it('binds to a pod (and its node), a secret or a node, checking the uid', async () => {
    const { request } = setup();
    const pod = decodeJwt((await request({ audiences: ['a'], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'pod-uid' } })).status!.token)!;
    expect(pod.claims['kubernetes.io']).toEqual({
      namespace: 'ns', serviceaccount: { name: 'robot', uid: 'sa-uid' }, pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' },
    });
    expect(pod.claims['aud']).toEqual(['a']);
    const secret = decodeJwt((await request({ audiences: [], boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's' } })).status!.token)!;
    expect(secret.claims['kubernetes.io']).toMatchObject({ secret: { name: 's', uid: 'secret-uid' } });
    expect(await failure(request({ audiences: [], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'stale' } }))).toMatchObject({
      code: 409, message: 'Operation cannot be fulfilled on Pod "p": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated',
    });
    expect(await failure(request({ audiences: [], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } }))).toMatchObject({ code: 404, message: 'pods "gone" not found' });
    expect(await failure(request({ audiences: [], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } }))).toMatchObject({
      code: 400, message: 'cannot bind token for serviceaccount "robot" to pod running with serviceaccount "default"',
    });
    expect(await failure(request({ audiences: [], boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' } }))).toMatchObject({
      code: 400, message: 'cannot bind token to object of type apps/v1, Kind=Deployment',
    });
  });

  it('refuses less than 10 minutes with 422 and causes, and a missing ServiceAccount with 404', async () => {
    const { request } = setup();
    expect(await failure(request({ audiences: [], expirationSeconds: 599 }))).toEqual({
      code: 422, message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
      causes: [{ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: 'Invalid value: 599: may not specify a duration less than 10 minutes' }],
    });
    expect(await failure(request({ audiences: [] }, 'nobody'))).toMatchObject({ code: 404, message: 'serviceaccounts "nobody" not found' });
  });

  it('extends a pod-bound 3607 s request for the API to a year with warnafter', async () => {
    const { request } = setup();
    const now = Date.UTC(2026, 0, 1) / 1000;
    const tr = await request({ audiences: [], expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } });
    const jwt = decodeJwt(tr.status!.token)!;
    expect(jwt.claims['exp']).toBe(now + 365 * 24 * 3600);
    expect((jwt.claims['kubernetes.io'] as { warnafter: number }).warnafter).toBe(now + 3607);
    expect(tr.status?.expirationTimestamp).toBe('2026-01-01T01:00:07Z');
    const unbound = decodeJwt((await request({ audiences: [], expirationSeconds: 3607 })).status!.token)!;
    expect(unbound.claims['exp']).toBe(now + 3607);
    const foreign = decodeJwt((await request({ audiences: ['vault'], expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } })).status!.token)!;
    expect(foreign.claims['exp']).toBe(now + 3607);
  });
});
