import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { findResource } from '../api/resources.js';
import { eventually } from '../../test/helpers/eventually.js';
import { startControllerEnv } from '../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../controller-manager/testing/controller-env.js';
import { FakeKubelet } from '../controller-manager/testing/fake-kubelet.js';
import type { FakeKubeletOptions } from '../controller-manager/testing/fake-kubelet.js';
import { createScheduler } from './scheduler.js';
import { makePod } from './testing/fixtures.js';
import type { PodSpec } from './testing/fixtures.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const EVENTS = findResource('', 'v1', 'events')!;

describe('scheduler (API server in process, 3 fake kubelets)', () => {
  let env: ControllerEnv;

  async function addNode(name: string, o: Partial<FakeKubeletOptions> = {}): Promise<void> {
    const k = new FakeKubelet({ client: env.client, nodeName: name, capacity: { cpu: '2', memory: '4Gi' }, ...o });
    await k.register();
    env.start(k);
  }

  beforeEach(async () => {
    env = await startControllerEnv({ gc: false });
    for (const n of ['node-1', 'node-2', 'node-3']) await addNode(n, { labels: { disk: n === 'node-3' ? 'ssd' : 'hdd' } });
    env.start(createScheduler(env.ctx, { initialBackoffMs: 50, maxBackoffMs: 200 }));
  });
  afterEach(async () => { await env.close(); });

  const create = (name: string, s: PodSpec = {}): Promise<Pod> => {
    const pod = makePod(name, s);
    pod.metadata = { ...pod.metadata, uid: undefined };
    return env.client.create<Pod & KubeObject>(PODS, 'default', pod as KubeObject);
  };
  const get = (name: string): Promise<Pod> => env.client.get<Pod & KubeObject>(PODS, 'default', name);
  const nodeOf = async (name: string): Promise<string | undefined> => (await get(name)).spec?.nodeName;
  const events = async (name: string): Promise<Event[]> =>
    (await env.client.list<Event & KubeObject>(EVENTS, 'default')).items.filter((e) => e.involvedObject.name === name);
  const patchNode = (name: string, spec: Node['spec']) => env.client.patch(NODES, undefined, name, 'merge', { spec });

  it('binds a pod, which gets PodScheduled=True and a Scheduled event', async () => {
    await create('web', { cpu: '100m' });
    const node = await eventually(async () => { const n = await nodeOf('web'); expect(n).toMatch(/^node-/); return n; });
    await eventually(async () => {
      const p = await get('web');
      expect(p.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
      expect((await events('web')).find((e) => e.reason === 'Scheduled')).toMatchObject({
        type: 'Normal', message: `Successfully assigned default/web to ${node}`, source: { component: 'default-scheduler' },
      });
    });
  });

  it('leaves a pod asking for more cpu than any node Pending, with FailedScheduling and PodScheduled=False', async () => {
    await patchNode('node-3', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    await create('huge', { cpu: '3' });
    const want = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..';
    await eventually(async () => {
      const ev = (await events('huge')).find((e) => e.reason === 'FailedScheduling');
      expect(ev).toMatchObject({ type: 'Warning', message: want });
      const p = await get('huge');
      expect(p.status?.phase).toBe('Pending');
      expect(p.spec?.nodeName).toBeUndefined();
      expect(p.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: want }));
    });
  });

  it('places nothing on a cordoned node', async () => {
    await patchNode('node-1', { unschedulable: true });
    await eventually(() => expect(env.ctx.informers.for<Node & KubeObject>(NODES).cache.get('node-1')?.spec?.unschedulable).toBe(true));
    for (let i = 0; i < 6; i++) await create(`p${i}`);
    await eventually(async () => {
      const nodes = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => nodeOf(`p${i}`)));
      expect(nodes.every((n) => n === 'node-2' || n === 'node-3')).toBe(true);
    });
  });

  it('keeps pods off tainted nodes unless they tolerate the taint', async () => {
    await patchNode('node-1', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] });
    await patchNode('node-2', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] });
    await patchNode('node-3', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] });
    await create('plain');
    await create('tolerant', { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] });
    await eventually(async () => expect(await nodeOf('tolerant')).toMatch(/^node-/));
    await eventually(async () => expect((await events('plain')).find((e) => e.reason === 'FailedScheduling')?.message)
      .toMatch(/^0\/3 nodes are available: 3 node\(s\) had untolerated taint \{gpu: true\}\./));
    expect(await nodeOf('plain')).toBeUndefined();
  });

  it('follows nodeSelector', async () => {
    for (let i = 0; i < 3; i++) await create(`ssd${i}`, { nodeSelector: { disk: 'ssd' } });
    await eventually(async () => {
      for (let i = 0; i < 3; i++) expect(await nodeOf(`ssd${i}`)).toBe('node-3');
    });
  });

  it('spreads 2 anti-affine replicas over 2 nodes and keeps the 3rd Pending', async () => {
    await patchNode('node-3', { unschedulable: true });
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    for (let i = 0; i < 3; i++) await create(`db${i}`, { labels: { app: 'db' }, affinity: anti });
    await eventually(async () => {
      const nodes = (await Promise.all([0, 1, 2].map((i) => nodeOf(`db${i}`)))).filter((n) => n !== undefined);
      expect(nodes.sort()).toEqual(['node-1', 'node-2']);
    });
    const pending = [0, 1, 2].map((i) => `db${i}`);
    await eventually(async () => {
      const left = (await Promise.all(pending.map(async (n) => ((await nodeOf(n)) ? undefined : n)))).find((n) => n !== undefined);
      expect(left).toBeDefined();
      expect((await events(left!)).find((e) => e.reason === 'FailedScheduling')?.message).toBe(
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match pod anti-affinity rules. " +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..');
    });
  });

  it('schedules a pending pod once a node that fits is added', async () => {
    await create('needs-big', { cpu: '6' });
    await eventually(async () => expect((await events('needs-big')).some((e) => e.reason === 'FailedScheduling')).toBe(true));
    await addNode('big', { capacity: { cpu: '8', memory: '16Gi' } });
    await eventually(async () => expect(await nodeOf('needs-big')).toBe('big'));
  });

  it('retries when a pod that held the resources is deleted', async () => {
    await create('hog1', { cpu: '1500m', nodeSelector: { disk: 'ssd' } });
    await eventually(async () => expect(await nodeOf('hog1')).toBe('node-3'));
    await create('wants-ssd', { cpu: '1', nodeSelector: { disk: 'ssd' } });
    await eventually(async () => expect((await events('wants-ssd')).some((e) => e.reason === 'FailedScheduling')).toBe(true));
    await env.client.delete(PODS, 'default', 'hog1', { gracePeriodSeconds: 0 });
    await eventually(async () => expect(await nodeOf('wants-ssd')).toBe('node-3'));
  });

  it('ignores pods for another scheduler', async () => {
    const pod = makePod('other');
    pod.metadata = { ...pod.metadata, uid: undefined };
    pod.spec!.schedulerName = 'my-scheduler';
    await env.client.create(PODS, 'default', pod as KubeObject);
    await create('mine');
    await eventually(async () => expect(await nodeOf('mine')).toMatch(/^node-/));
    expect(await nodeOf('other')).toBeUndefined();
    expect(await events('other')).toEqual([]);
  });
});
