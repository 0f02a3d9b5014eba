import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { createPodGcController, PodGcController } from './podgc-controller.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;

const pod = (name: string, nodeName: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'x' }] } });

async function node(env: ControllerEnv, name: string, ready: string, taints: unknown[] = []): Promise<void> {
  await env.client.create(NODES, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } });
  await env.client.patch(NODES, undefined, name, 'merge', { status: { conditions: [{ type: 'Ready', status: ready }] } }, { subresource: 'status' });
}

describe('PodGcController', () => {
  let env: ControllerEnv;
  const exists = (name: string) => env.client.get<Pod & KubeObject>(PODS, 'default', name).then(() => true, (e: unknown) => {
    if (isApiError(e) && e.code === 404) return false;
    throw e;
  });
  beforeEach(async () => { env = await startControllerEnv(); });
  afterEach(async () => { await env.close(); });

  it('force-deletes pods bound to a node that does not exist, after the quarantine', async () => {
    await node(env, 'real', 'True');
    await env.client.create(PODS, 'default', pod('orphan', 'ghost'));
    await env.client.create(PODS, 'default', pod('fine', 'real'));
    env.start(createPodGcController(env.ctx, { checkPeriodMs: 30, quarantineMs: 100 }));
    await eventually(async () => { expect(await exists('orphan')).toBe(false); });
    expect(await exists('fine')).toBe(true);
  });

  it('force-deletes terminating pods on out-of-service nodes, not on merely unreachable ones', async () => {
    await node(env, 'oos', 'False', [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }]);
    await node(env, 'dark', 'Unknown', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]);
    await env.client.create(PODS, 'default', pod('a', 'oos'));
    await env.client.create(PODS, 'default', pod('b', 'dark'));
    await env.client.delete(PODS, 'default', 'a');
    await env.client.delete(PODS, 'default', 'b');
    expect((await env.client.get<Pod & KubeObject>(PODS, 'default', 'b')).metadata?.deletionTimestamp).toBeTruthy();
    const gc = new PodGcController(env.ctx, { checkPeriodMs: 30 });
    env.start(gc);
    await eventually(async () => { expect(await exists('a')).toBe(false); });
    await gc.gc(); // one more whole pass, with both pods in its cache, after a's
    expect(await exists('b')).toBe(true);
  });

  it('deletes the oldest terminated pods beyond the threshold', async () => {
    await node(env, 'n1', 'True');
    for (const name of ['t1', 't2', 't3', 'running']) {
      await env.client.create(PODS, 'default', pod(name, 'n1'));
      if (name !== 'running') await env.client.patch(PODS, 'default', name, 'merge', { status: { phase: 'Succeeded' } }, { subresource: 'status' });
    }
    await env.client.patch(PODS, 'default', 't3', 'merge', { status: { phase: 'Failed', reason: 'Evicted' } }, { subresource: 'status' });
    env.start(createPodGcController(env.ctx, { checkPeriodMs: 30, terminatedPodThreshold: 1 }));
    await eventually(async () => { expect([await exists('t1'), await exists('t2'), await exists('t3'), await exists('running')]).toEqual([false, true, false, true]); });
  });
});
