import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerAuth } from '../testing/header-auth.js';
import { startTestServer } from '../testing/test-server.js';
import type { TestServer } from '../testing/test-server.js';
import { admitPodCreate, forbiddenNodeLabels } from './node-restriction.js';


const NS = '/api/v1/namespaces/default';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const MIRROR = 'kubernetes.io/config.mirror';
const node = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
const lease = (name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40 } });
const pod = (name: string, nodeName: string, opts: { mirror?: boolean; spec?: Record<string, unknown> } = {}) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, ...(opts.mirror ? { annotations: { [MIRROR]: 'hash' } } : {}) },
  spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }], ...opts.spec },
});

describe('NodeRestriction', () => {
  let s: TestServer;
  const as = (n: string) => ({ 'x-node': n });
  const expectStatus = async (status: number, method: Parameters<TestServer['request']>[0], url: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await s.request(method, url, body, headers);
    expect(res.status, `${method} ${url}: ${res.text}`).toBe(status);
    return String(res.body['message']);
  };

  beforeEach(async () => {
    s = await startTestServer({ authenticator: headerAuth });
    await expectStatus(201, 'POST', '/api/v1/nodes', node('n2'));
    await expectStatus(201, 'POST', `${NS}/pods`, pod('p1', 'n1'));
    await expectStatus(201, 'POST', `${NS}/pods`, pod('p2', 'n2'));
  });
  afterEach(async () => { await s.close(); });

  it('a node registers itself, with kubelet labels, and no other node', async () => {
    expect(await expectStatus(403, 'POST', '/api/v1/nodes', node('n3'), as('n1'))).toBe('nodes "n3" is forbidden: node "n1" is not allowed to modify node "n3"');
    expect(await expectStatus(403, 'POST', '/api/v1/nodes', node('n1', { 'node-restriction.kubernetes.io/pool': 'a', 'node-role.kubernetes.io/control-plane': '' }), as('n1')))
      .toBe('nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: node-restriction.kubernetes.io/pool, node-role.kubernetes.io/control-plane');
    await expectStatus(201, 'POST', '/api/v1/nodes', node('n1', { 'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'node.kubernetes.io/pool': 'x', team: 'a' }), as('n1'));
  });

  it('a node updates its own status and Node, not another node\'s, and never its taints', async () => {
    await expectStatus(201, 'POST', '/api/v1/nodes', node('n1'), as('n1'));
    const status = { status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    const headers = { ...as('n1'), 'content-type': 'application/merge-patch+json' };
    await expectStatus(200, 'PATCH', '/api/v1/nodes/n1/status', status, headers);
    expect(await expectStatus(403, 'PATCH', '/api/v1/nodes/n2/status', status, headers)).toBe('nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    expect(await expectStatus(403, 'DELETE', '/api/v1/nodes/n2', undefined, as('n1'))).toBe('nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    await expectStatus(200, 'PATCH', '/api/v1/nodes/n1', { metadata: { labels: { team: 'b' } } }, headers);
    expect(await expectStatus(403, 'PATCH', '/api/v1/nodes/n1', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }, headers))
      .toBe('nodes "n1" is forbidden: node "n1" is not allowed to modify taints');
    expect(await expectStatus(403, 'PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'node-role.kubernetes.io/worker': '' } } }, headers))
      .toBe('nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/worker');
    // the admin is not restricted
    await expectStatus(200, 'PATCH', '/api/v1/nodes/n2', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }, { 'content-type': 'application/merge-patch+json' });
  });

  it('a node creates and renews only its own Lease, only in kube-node-lease', async () => {
    await expectStatus(201, 'POST', LEASES, lease('n1'), as('n1'));
    await expectStatus(200, 'GET', `${LEASES}/n1`, undefined, as('n1'));
    const cur = (await s.request('GET', `${LEASES}/n1`)).body;
    await expectStatus(200, 'PUT', `${LEASES}/n1`, cur, as('n1'));
    expect(await expectStatus(403, 'POST', LEASES, lease('n2'), as('n1')))
      .toBe('leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node');
    await expectStatus(201, 'POST', LEASES, lease('n2'));
    expect(await expectStatus(403, 'GET', `${LEASES}/n2`, undefined, as('n1')))
      .toBe('leases.coordination.k8s.io "n2" is forbidden: User "system:node:n1" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease": can only access node lease with the same name as the requesting node');
    expect(await expectStatus(403, 'GET', LEASES, undefined, as('n1'))).toMatch(/: can only get, create, update, patch, or delete a node lease$/);
    expect(await expectStatus(403, 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases', lease('n1'), as('n1')))
      .toMatch(/: can only access leases in the "kube-node-lease" system namespace$/);
  });

  it('a node writes pod status and deletes pods only when they are bound to it', async () => {
    const headers = { ...as('n1'), 'content-type': 'application/merge-patch+json' };
    await expectStatus(200, 'PATCH', `${NS}/pods/p1/status`, { status: { phase: 'Running' } }, headers);
    expect(await expectStatus(403, 'PATCH', `${NS}/pods/p2/status`, { status: { phase: 'Running' } }, headers))
      .toBe('pods "p2" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself');
    const p2 = (await s.request('GET', `${NS}/pods/p2`)).body;
    expect(await expectStatus(403, 'PUT', `${NS}/pods/p2/status`, p2, as('n1'))).toMatch(/can only update pod status for pods with spec.nodeName set to itself$/);
    expect(await expectStatus(403, 'DELETE', `${NS}/pods/p2`, undefined, as('n1')))
      .toBe('pods "p2" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself');
    await expectStatus(200, 'DELETE', `${NS}/pods/p1?gracePeriodSeconds=0`, undefined, as('n1'));
    await expectStatus(404, 'DELETE', `${NS}/pods/gone`, undefined, as('n1'));
  });

  it('a node creates only mirror pods bound to itself that reference nothing', async () => {
    await expectStatus(201, 'POST', `${NS}/pods`, pod('static-n1', 'n1', { mirror: true }), as('n1'));
    expect(await expectStatus(403, 'POST', `${NS}/pods`, pod('plain', 'n1'), as('n1')))
      .toBe('pods "plain" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods');
    expect(await expectStatus(403, 'POST', `${NS}/pods`, pod('elsewhere', 'n2', { mirror: true }), as('n1')))
      .toBe('pods "elsewhere" is forbidden: node "n1" can only create pods with spec.nodeName set to itself');
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ serviceAccountName: 'default' }, 'a service account'],
      [{ volumes: [{ name: 'v', secret: { secretName: 's' } }] }, 'secrets'],
      [{ containers: [{ name: 'c', image: 'busybox', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] }] }, 'configmaps'],
      [{ volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }, 'persistentvolumeclaims'],
    ];
    for (const [spec, what] of refusals) {
      expect(await expectStatus(403, 'POST', `${NS}/pods`, pod('refs', 'n1', { mirror: true, spec }), as('n1')))
        .toBe(`pods "refs" is forbidden: node "n1" can not create pods that reference ${what}`);
    }
  });
});

describe('NodeRestriction rules', () => {
  it('finds the labels a node may not add, change or remove', () => {
    expect(forbiddenNodeLabels({ 'kubernetes.io/hostname': 'a', 'x.k8s.io/y': '1', 'kubelet.kubernetes.io/z': '1', 'foo.node.kubernetes.io/z': '1' }, {})).toEqual(['x.k8s.io/y']);
    expect(forbiddenNodeLabels({}, { 'node-role.kubernetes.io/master': '' })).toEqual(['node-role.kubernetes.io/master']);
    expect(forbiddenNodeLabels({ 'node-role.kubernetes.io/master': '' }, { 'node-role.kubernetes.io/master': '' })).toEqual([]);
    expect(forbiddenNodeLabels({ 'a.node-restriction.kubernetes.io/b': '' })).toEqual(['a.node-restriction.kubernetes.io/b']);
  });

  it('accepts a mirror pod owned by its node as controller, and no other owner', () => {
    const n1: Node = { metadata: { name: 'n1', uid: 'u1' } };
    const owned = (ref: Record<string, unknown>): Pod => ({
      metadata: { name: 'm', annotations: { [MIRROR]: 'h' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'u1', controller: true, ...ref }] },
      spec: { nodeName: 'n1', containers: [{ name: 'c' }] },
    });
    expect(admitPodCreate('n1', owned({}), n1)).toBeUndefined();
    expect(admitPodCreate('n1', owned({ name: 'n2' }), n1)?.message).toBe('pods "m" is forbidden: node "n1" can only create pods with an owner reference set to itself');
    expect(admitPodCreate('n1', owned({ controller: false }), n1)?.message).toMatch(/with a controller owner reference set to itself$/);
    expect(admitPodCreate('n1', owned({ blockOwnerDeletion: true }), n1)?.message).toMatch(/must not set blockOwnerDeletion on an owner reference$/);
    expect(admitPodCreate('n1', owned({ uid: 'old' }), n1)?.message).toBe('pods "m" is forbidden: node n1 UID mismatch: expected old got u1');
  });
});
