import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { forbidden } from '../../api/status.js';
import type { ApiError } from '../../api/status.js';
import { FakeClock } from '../../util/clock.js';
import type { UserInfo } from '../auth.js';
import { forbiddenMessage } from '../authorize.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import type { CreateOnlyHandlers } from '../routes/resources.js';
import type { ReviewAttributes } from './access-review-spec.js';
import { reviewHandlers } from './review-handlers.js';
import type { RulesReviewStatus } from './rules-review.js';

const AUTHZ = 'authorization.k8s.io';
const admin: UserInfo = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const alice: UserInfo = { name: 'alice', groups: ['devs', 'system:authenticated'], uid: 'u-1', extra: { scopes: ['a'] } };
const node: UserInfo = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };

/** Allows alice to create pods in `team` and to GET /healthz; records who asked what. */
const asked: { user: UserInfo; a: ReviewAttributes }[] = [];
const authorizer = {
  async authorize(user: UserInfo, a: ReviewAttributes): Promise<ApiError | undefined> {
    asked.push({ user, a });
    const ok = user.groups.includes('system:masters') || (user.name === 'alice' && (a.kind === 'resource'
      ? a.verb === 'create' && a.resource === 'pods' && a.namespace === 'team' : a.path === '/healthz'));
    if (ok) return undefined;
    // as the server's authorizer words a refusal, with RBAC's reason when a binding names a missing role
    const reason = user.name === 'broken' ? ': RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' : '';
    return forbidden(forbiddenMessage(user, a) + reason);
  },
  async listRules(user: UserInfo, namespace: string | undefined): Promise<RulesReviewStatus> {
    return user.name === 'alice' && namespace === 'team'
      ? { resourceRules: [{ verbs: ['create'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [], incomplete: false }
      : user.name === 'system:node:n2'
        ? { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: '[role.rbac.authorization.k8s.io "a" not found, role.rbac.authorization.k8s.io "b" not found]' }
        : { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'clusterrole.rbac.authorization.k8s.io "gone" not found' };
  },
};

let server: TestServer;
let handlers: CreateOnlyHandlers;
beforeAll(async () => {
  server = await startTestServer();
  handlers = reviewHandlers({ handler: server.handler, authorizer, clock: new FakeClock(new Date('2026-01-02T03:04:05.678Z')) });
});
afterAll(async () => { await server.close(); });

async function create(group: string, resource: string, user: UserInfo, body: Record<string, unknown>, namespace?: string): Promise<KubeObject> {
  const ri = findResource(group, 'v1', resource)!;
  const kind = ri.kind;
  return handlers[`${group}/${resource}`]!({ ri, user, namespace, body: { apiVersion: `${group}/v1`, kind, ...body } as KubeObject, dryRun: false });
}
const failure = async (p: Promise<unknown>): Promise<{ code: number; message?: string; causes?: unknown }> => {
  const err = await p.then(() => undefined, (e: unknown) => e as ApiError);
  if (!err) throw new Error('expected a failure');
  return { code: err.code, message: err.status.message, causes: err.status.details?.causes };
};

describe('SelfSubjectAccessReview', () => {
  it('answers for the caller with the authorizer\'s decision', async () => {
    const yes = await create(AUTHZ, 'selfsubjectaccessreviews', alice, { metadata: { creationTimestamp: null }, spec: { resourceAttributes: { namespace: 'team', verb: 'create', resource: 'pods' } } });
    expect(yes['status']).toEqual({ allowed: true });
    expect(yes.metadata).toEqual({ creationTimestamp: null });
    expect(asked.at(-1)).toEqual({ user: alice, a: { kind: 'resource', verb: 'create', group: '', resource: 'pods', namespace: 'team' } });
    const no = await create(AUTHZ, 'selfsubjectaccessreviews', alice, { spec: { resourceAttributes: { namespace: 'other', verb: 'create', resource: 'pods' } } });
    expect(no['status']).toEqual({ allowed: false });
    const path = await create(AUTHZ, 'selfsubjectaccessreviews', alice, { spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } });
    expect(path['status']).toEqual({ allowed: true });
    expect(asked.at(-1)?.a).toEqual({ kind: 'nonResource', verb: 'get', path: '/healthz' });
  });

  it('takes exactly one of the attribute sets, and no metadata: 422 with causes', async () => {
    expect(await failure(create(AUTHZ, 'selfsubjectaccessreviews', alice, { spec: {} }))).toEqual({
      code: 422,
      message: 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      causes: [{ reason: 'FieldValueInvalid', field: 'spec.resourceAttributes', message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified' }],
    });
    const both = await failure(create(AUTHZ, 'selfsubjectaccessreviews', alice, { spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/x', verb: 'get' } } }));
    expect(both.message).toBe('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: cannot be specified in combination with resourceAttributes');
    const named = await failure(create(AUTHZ, 'selfsubjectaccessreviews', alice, { metadata: { name: 'x' }, spec: { resourceAttributes: { verb: 'get' } } }));
    expect(named.code).toBe(422);
    expect(named.message).toMatch(/^SelfSubjectAccessReview.authorization.k8s.io "" is invalid: metadata: Invalid value: v1.ObjectMeta\{Name:"x", .*: must be empty$/);
  });
});

describe('SubjectAccessReview and LocalSubjectAccessReview', () => {
  it('asks about the user, groups, uid and extra of the spec, adding no group', async () => {
    const spec = { user: 'alice', groups: ['devs'], uid: 'u-1', extra: { scopes: ['a'] }, resourceAttributes: { namespace: 'team', verb: 'create', resource: 'pods' } };
    const r = await create(AUTHZ, 'subjectaccessreviews', admin, { spec });
    expect(r['status']).toEqual({ allowed: true });
    expect(asked.at(-1)?.user).toEqual({ name: 'alice', groups: ['devs'], uid: 'u-1', extra: { scopes: ['a'] } });
    expect(r['spec']).toEqual(spec);
  });

  it('a refusal carries the authorizer\'s reason when it has one', async () => {
    const r = await create(AUTHZ, 'subjectaccessreviews', admin, { spec: { user: 'broken', resourceAttributes: { verb: 'get', resource: 'pods' } } });
    expect(r['status']).toEqual({ allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' });
    const plain = await create(AUTHZ, 'subjectaccessreviews', admin, { spec: { user: 'nobody', nonResourceAttributes: { verb: 'get', path: '/x' } } });
    expect(plain['status']).toEqual({ allowed: false });
  });

  it('needs a user or a group', async () => {
    expect(await failure(create(AUTHZ, 'subjectaccessreviews', admin, { spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }))).toMatchObject({
      code: 422, message: 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
    });
  });

  it('LocalSubjectAccessReview: the namespace is the path\'s, resource attributes only', async () => {
    const r = await create(AUTHZ, 'localsubjectaccessreviews', admin, { spec: { user: 'alice', resourceAttributes: { namespace: 'team', verb: 'create', resource: 'pods' } } }, 'team');
    expect(r['status']).toEqual({ allowed: true });
    expect(r.metadata).toEqual({ creationTimestamp: null, namespace: 'team' });
    const wrong = await failure(create(AUTHZ, 'localsubjectaccessreviews', admin, { spec: { user: 'alice', resourceAttributes: { namespace: 'x', verb: 'get', resource: 'pods' } } }, 'team'));
    expect(wrong).toMatchObject({ code: 422, message: 'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "x": must match metadata.namespace' });
    const nonResource = await failure(create(AUTHZ, 'localsubjectaccessreviews', admin, { spec: { user: 'alice', nonResourceAttributes: { path: '/x', verb: 'get' } } }, 'team'));
    expect(nonResource.message).toBe('LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: disallowed on this kind of request');
    const otherNs = await failure(create(AUTHZ, 'localsubjectaccessreviews', admin, { metadata: { namespace: 'x' }, spec: { user: 'a', resourceAttributes: { namespace: 'team' } } }, 'team'));
    expect(otherNs).toMatchObject({ code: 400, message: 'the namespace of the provided object does not match the namespace sent on the request' });
  });

  it('a body of another kind is refused the way every create refuses it', async () => {
    const ri = findResource(AUTHZ, 'v1', 'subjectaccessreviews')!;
    const wrong = handlers[`${AUTHZ}/subjectaccessreviews`]!({ ri, user: admin, body: { apiVersion: `${AUTHZ}/v1`, kind: 'Pod' } as KubeObject, dryRun: false });
    expect((await failure(wrong)).code).toBe(400);
  });
});

describe('SelfSubjectRulesReview', () => {
  it('lists the caller\'s rules in spec.namespace', async () => {
    const r = await create(AUTHZ, 'selfsubjectrulesreviews', alice, { spec: { namespace: 'team' } });
    expect(r['status']).toEqual({ resourceRules: [{ verbs: ['create'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [], incomplete: false });
    expect(r['spec']).toEqual({});
  });

  it('a superuser gets * on everything; a node is incomplete with the Node authorizer\'s error', async () => {
    const r = await create(AUTHZ, 'selfsubjectrulesreviews', admin, { spec: { namespace: 'default' } });
    expect(r['status']).toMatchObject({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: true,
    });
    const n = await create(AUTHZ, 'selfsubjectrulesreviews', node, { spec: { namespace: 'default' } });
    expect(n['status']).toMatchObject({
      incomplete: true, evaluationError: '[node authorizer does not support user rule resolution, clusterrole.rbac.authorization.k8s.io "gone" not found]',
    });
  });

  it('one flat list of errors, as upstream\'s aggregate prints nested ones', async () => {
    const n2: UserInfo = { name: 'system:node:n2', groups: ['system:nodes'] };
    const r = await create(AUTHZ, 'selfsubjectrulesreviews', n2, { spec: { namespace: 'default' } });
    expect((r['status'] as { evaluationError?: string }).evaluationError)
      .toBe('[node authorizer does not support user rule resolution, role.rbac.authorization.k8s.io "a" not found, role.rbac.authorization.k8s.io "b" not found]');
  });

  it('needs a namespace', async () => {
    expect(await failure(create(AUTHZ, 'selfsubjectrulesreviews', alice, { spec: {} }))).toMatchObject({ code: 400, message: 'no namespace on request' });
  });
});

describe('SelfSubjectReview', () => {
  it('tells the caller who they are', async () => {
    const r = await create('authentication.k8s.io', 'selfsubjectreviews', alice, {});
    expect(r).toEqual({
      apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { creationTimestamp: '2026-01-02T03:04:05Z' },
      status: { userInfo: { username: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a'] } } },
    });
  });
});

describe('a review through the route', () => {
  it('answers 406 to a client that takes only a Table (reviews have no table form), and the review otherwise', async () => {
    const routed = await startTestServer({ createOnly: (ctx) => reviewHandlers({ handler: ctx.handler, authorizer, clock: new FakeClock(new Date('2026-01-02T03:04:05.678Z')) }) });
    try {
      const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { path: '/', verb: 'get' } } };
      const url = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
      const table = await routed.request('POST', url, body, { accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' });
      expect([table.status, table.body]).toMatchObject([406, { kind: 'Status', code: 406, reason: 'NotAcceptable',
        message: 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf' }]);
      const fallback = await routed.request('POST', url, body, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
      expect([fallback.status, fallback.body]).toMatchObject([201, { kind: 'SelfSubjectAccessReview' }]);
    } finally {
      await routed.close();
    }
  });
});
