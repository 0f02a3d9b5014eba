import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from './decode.js';

/**
 * Bodies the real kubectl 1.32 sent (captured from `kubectl create rolebinding|clusterrolebinding|
 * clusterrole|token`, `kubectl auth whoami|can-i`): field numbers checked against a real client,
 * not only against our own encoder.
 */
const decode = (name: string): Record<string, unknown> =>
  decodeProtobufObject(readFileSync(new URL(`./testdata/${name}.pb`, import.meta.url))).object;
const RBAC = 'rbac.authorization.k8s.io';

describe('captured kubectl bodies of the identity and access kinds', () => {
  it('create rolebinding rb -n ns --role=r --user=jane --group=g --serviceaccount=ns:sa', () => {
    const o = decode('rolebinding');
    expect(o).toMatchObject({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'ns' } });
    expect(o['subjects']).toEqual([
      { kind: 'User', apiGroup: RBAC, name: 'jane' }, { kind: 'Group', apiGroup: RBAC, name: 'g' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
    ]);
    expect(o['roleRef']).toEqual({ apiGroup: RBAC, kind: 'Role', name: 'r' });
  });

  it('create clusterrolebinding crb --clusterrole=view; create clusterrole cr --verb=get --non-resource-url=/healthz', () => {
    const crb = decode('clusterrolebinding');
    expect(crb).toMatchObject({ kind: 'ClusterRoleBinding', metadata: { name: 'crb' } });
    expect(crb['roleRef']).toEqual({ apiGroup: RBAC, kind: 'ClusterRole', name: 'view' });
    const cr = decode('clusterrole');
    expect(cr).toMatchObject({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'cr' } });
    expect(cr['rules']).toEqual([{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]);
  });

  it('create token sa --audience=api --duration=1h --bound-object-kind=Pod …: a TokenRequest whose uID is the JSON uid', () => {
    const o = decode('tokenrequest');
    expect(o).toMatchObject({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' });
    expect(o['spec']).toEqual({ audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u1' } });
  });

  it('auth whoami sends a SelfSubjectReview, auth can-i a SelfSubjectAccessReview', () => {
    expect(decode('selfsubjectreview')).toMatchObject({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', status: { userInfo: {} } });
    expect(decode('ssar-resource')).toHaveProperty('spec', { resourceAttributes: { namespace: 'ns', verb: 'get', resource: 'pods' } });
    expect(decode('ssar-nonresource')).toHaveProperty('spec', { nonResourceAttributes: { path: '/healthz', verb: 'get' } });
  });
});
