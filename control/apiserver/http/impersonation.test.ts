import { describe, expect, it } from 'vitest';
import { forbidden } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';
import type { UserInfo } from '../auth.js';
import { forbiddenMessage } from '../authorize.js';
import { distinctHeaders, impersonate, wantsImpersonation } from './impersonation.js';
import type { ImpersonationAuthorizer } from './impersonation.js';

type Asked = Parameters<ImpersonationAuthorizer['authorize']>[1];
const admin: UserInfo = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const alice: UserInfo = { name: 'alice', groups: ['system:authenticated'] };

/** Allows what `allow` says; records every question. */
function authorizer(allow: (u: UserInfo, a: Asked) => boolean): ImpersonationAuthorizer & { asked: Asked[] } {
  const asked: Asked[] = [];
  return {
    asked,
    async authorize(u, a) {
      asked.push(a);
      return allow(u, a) ? undefined : forbidden(forbiddenMessage(u, a));
    },
  };
}
const all = () => authorizer(() => true);
const failure = async (p: Promise<unknown>): Promise<{ code: number; message?: string }> => {
  const err = await p.then(() => undefined, (e: unknown) => e as ApiError);
  if (!err) throw new Error('expected a failure');
  return { code: err.code, message: err.status.message };
};

describe('impersonate', () => {
  it('leaves a request without impersonation headers as it is', async () => {
    const a = all();
    expect(await impersonate(alice, { accept: ['*/*'] }, a)).toBe(alice);
    expect(a.asked).toEqual([]);
    expect(wantsImpersonation({ accept: ['x'] })).toBe(false);
    expect(wantsImpersonation({ 'impersonate-extra-scopes': ['x'] })).toBe(true);
  });

  it('acts as the user with the groups asked for, adding system:authenticated, after asking for each', async () => {
    const a = all();
    const u = await impersonate(admin, { 'impersonate-user': ['bob'], 'impersonate-group': ['devs', 'ops'] }, a);
    expect(u).toEqual({ name: 'bob', groups: ['devs', 'ops', 'system:authenticated'] });
    expect(a.asked).toEqual([
      { kind: 'resource', verb: 'impersonate', group: '', resource: 'users', name: 'bob' },
      { kind: 'resource', verb: 'impersonate', group: '', resource: 'groups', name: 'devs' },
      { kind: 'resource', verb: 'impersonate', group: '', resource: 'groups', name: 'ops' },
    ]);
  });

  it('a service account user is checked as serviceaccounts in its namespace and gets its groups', async () => {
    const a = all();
    const u = await impersonate(admin, { 'impersonate-user': ['system:serviceaccount:team:builder'] }, a);
    expect(u).toEqual({ name: 'system:serviceaccount:team:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'] });
    expect(a.asked).toEqual([{ kind: 'resource', verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: 'team', name: 'builder' }]);
    // not a valid account name: an ordinary user
    expect((await impersonate(admin, { 'impersonate-user': ['system:serviceaccount:Team:x'] }, all())).groups).toEqual(['system:authenticated']);
  });

  it('uid and extras (keys %-decoded) are checked in authentication.k8s.io', async () => {
    const a = all();
    const u = await impersonate(admin, {
      'impersonate-user': ['bob'], 'impersonate-uid': ['1234'], 'impersonate-extra-scopes': ['view', 'edit'], 'impersonate-extra-example.com%2fkey': ['v'],
    }, a);
    expect(u).toEqual({ name: 'bob', uid: '1234', groups: ['system:authenticated'], extra: { scopes: ['view', 'edit'], 'example.com/key': ['v'] } });
    expect(a.asked.slice(1)).toEqual([
      { kind: 'resource', verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: 'scopes', name: 'view' },
      { kind: 'resource', verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: 'scopes', name: 'edit' },
      { kind: 'resource', verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: 'example.com/key', name: 'v' },
      { kind: 'resource', verb: 'impersonate', group: 'authentication.k8s.io', resource: 'uids', name: '1234' },
    ]);
  });

  it('system:authenticated is not added when the groups name it or system:unauthenticated; anonymous gets system:unauthenticated', async () => {
    expect((await impersonate(admin, { 'impersonate-user': ['bob'], 'impersonate-group': ['system:unauthenticated'] }, all())).groups).toEqual(['system:unauthenticated']);
    expect((await impersonate(admin, { 'impersonate-user': ['system:anonymous'] }, all())).groups).toEqual(['system:unauthenticated']);
  });

  it('a refused impersonation is the authorizer\'s 403, in upstream\'s words', async () => {
    const a = authorizer((_u, q) => q.resource !== 'users');
    expect(await failure(impersonate(alice, { 'impersonate-user': ['x'] }, a))).toEqual({
      code: 403, message: 'users "x" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
    });
    const groupsRefused = authorizer((_u, q) => q.resource !== 'groups');
    expect(await failure(impersonate(alice, { 'impersonate-user': ['x'], 'impersonate-group': ['g'] }, groupsRefused))).toEqual({
      code: 403, message: 'groups "g" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope',
    });
    const saRefused = authorizer(() => false);
    expect((await failure(impersonate(alice, { 'impersonate-user': ['system:serviceaccount:ns:sa'] }, saRefused))).message)
      .toBe('serviceaccounts "sa" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ns"');
  });

  it('groups, uid or extras without a user are a 400', async () => {
    const a = all();
    expect(await failure(impersonate(admin, { 'impersonate-group': ['devs'] }, a))).toEqual({
      code: 400, message: 'requested [{Group  devs    }] without impersonating a user',
    });
    expect((await failure(impersonate(admin, { 'impersonate-user': [''], 'impersonate-uid': ['u1'] }, a))).code).toBe(400);
    expect(a.asked).toEqual([]);
  });
});

describe('distinctHeaders', () => {
  it('uses headersDistinct when the request has it, else the headers (an injected request)', () => {
    expect(distinctHeaders({ headers: { 'impersonate-group': 'a, b' }, headersDistinct: { 'impersonate-group': ['a, b', 'c'] } })).toEqual({ 'impersonate-group': ['a, b', 'c'] });
    expect(distinctHeaders({ headers: { 'impersonate-user': 'bob', 'x-many': ['1', '2'] } })).toEqual({ 'impersonate-user': ['bob'], 'x-many': ['1', '2'] });
  });
});
