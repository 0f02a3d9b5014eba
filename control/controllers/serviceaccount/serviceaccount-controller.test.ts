import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { createServiceAccountController, namespaceIsActive } from './serviceaccount-controller.js';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const SAS = findResource('', 'v1', 'serviceaccounts')!;
const ns = (name: string, finalizers?: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(finalizers ? { finalizers } : {}) } });

describe('namespaceIsActive', () => {
  it('is true only for a present, Active namespace not being deleted', () => {
    expect(namespaceIsActive(undefined)).toBe(false);
    expect(namespaceIsActive({ metadata: { name: 'a' }, status: { phase: 'Active' } })).toBe(true);
    expect(namespaceIsActive({ metadata: { name: 'a' }, status: { phase: 'Terminating' } })).toBe(false);
    expect(namespaceIsActive({ metadata: { name: 'a', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Active' } })).toBe(false);
  });
});

describe('ServiceAccountController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });

  const sa = (namespace: string, name = 'default') => env.client.get<ServiceAccount & KubeObject>(SAS, namespace, name);

  it('creates default in every namespace, the system ones and new ones, and again after a delete', async () => {
    env = await startControllerEnv({ gc: false });
    env.start(createServiceAccountController(env.ctx));
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) await eventually(() => sa(n));
    await env.client.create(NAMESPACES, undefined, ns('team-a'));
    const first = await eventually(() => sa('team-a'), { timeoutMs: 1000 });
    await env.client.delete(SAS, 'team-a', 'default');
    await eventually(async () => { expect((await sa('team-a')).metadata?.uid).not.toBe(first.metadata?.uid); });
  });

  it('leaves a ServiceAccount that exists alone and creates none in a terminating namespace', async () => {
    env = await startControllerEnv({ gc: false });
    await env.client.create(NAMESPACES, undefined, ns('gone'));
    // without the namespace controller (gc: false) the deleted namespace stays Terminating
    await env.client.delete(NAMESPACES, undefined, 'gone');
    await env.client.create(SAS, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', labels: { mine: 'yes' } } });
    env.start(createServiceAccountController(env.ctx));
    await env.nextReconcile('gone', () => env.client.patch(NAMESPACES, undefined, 'gone', 'merge', { metadata: { annotations: { poke: String(Date.now()) } } }));
    await expect(sa('gone')).rejects.toSatisfy((e: unknown) => isApiError(e) && e.code === 404);
    expect((await sa('default')).metadata?.labels).toEqual({ mine: 'yes' });
  });
});
