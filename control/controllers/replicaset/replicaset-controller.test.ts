import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { pod, replicaSet, replicationController } from '../../apiserver/testing/fixtures.js';
import { createScheduler } from '../../scheduler/scheduler.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { FakeKubelet, registerFakeKubelets } from '../../controller-manager/testing/fake-kubelet.js';
import type { ReplicaOwner } from './replica-kind.js';
import { createReplicaSetController, createReplicationControllerController } from './replicaset-controller.js';

const PODS = findResource('', 'v1', 'pods')!;
const RS = findResource('apps', 'v1', 'replicasets')!;
const RC = findResource('', 'v1', 'replicationcontrollers')!;
const EVENTS = findResource('', 'v1', 'events')!;
type P = Pod & KubeObject;

describe('ReplicaSet controller', () => {
  let env: ControllerEnv;
  const nodes = ['n1', 'n2', 'n3'];

  beforeEach(async () => {
    env = await startControllerEnv();
    const kubelets = await registerFakeKubelets(env.client, nodes);
    env.start(...kubelets, createScheduler(env.ctx),
      createReplicaSetController(env.ctx), createReplicationControllerController(env.ctx));
  });
  afterEach(async () => { await env.close(); });

  const livePods = async (selector: string) =>
    (await env.client.list<P>(PODS, 'default', { labelSelector: selector })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const rsStatus = async (name: string) => (await env.client.get<ReplicaOwner>(RS, 'default', name)).status;

  it('creates, replaces, scales up and down, and adopts', async () => {
    const rs = await env.client.create<ReplicaOwner>(RS, 'default', replicaSet('web', 3));
    await eventually(async () => {
      const st = await rsStatus('web');
      expect(st).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    });
    const pods = await livePods('app=web');
    expect(pods).toHaveLength(3);
    expect(new Set(pods.map((p) => p.spec?.nodeName)).size).toBe(3);
    for (const p of pods) {
      expect(p.metadata?.generateName).toBe('web-');
      expect(p.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    }

    // delete one: replaced
    const victim = pods[0]!;
    await env.client.delete(PODS, 'default', victim.metadata?.name ?? '');
    await eventually(async () => {
      const now = await livePods('app=web');
      expect(now).toHaveLength(3);
      expect(now.map((p) => p.metadata?.name)).not.toContain(victim.metadata?.name);
    });

    // scale to 6
    await env.client.patch(RS, 'default', 'web', 'merge', { spec: { replicas: 6 } });
    await eventually(async () => {
      expect(await livePods('app=web')).toHaveLength(6);
      expect(await rsStatus('web')).toMatchObject({ replicas: 6, readyReplicas: 6, observedGeneration: 2 });
    });

    // a hand-made pod with matching labels is adopted; the count stays at 6. It runs alone on a
    // node of its own and is ready before its labels match, so the scale-down that follows the
    // adoption prefers a doubled-up pod (upstream ranking) instead of racing the kubelet.
    const lone = new FakeKubelet({ client: env.client, nodeName: 'n4', taints: [{ key: 'dedicated', value: 'stray', effect: 'NoSchedule' }] });
    await lone.register();
    env.start(lone);
    await env.client.create(PODS, 'default', pod('stray', { labels: { app: 'stray' }, nodeName: 'n4' }));
    await eventually(async () => expect((await env.client.get<P>(PODS, 'default', 'stray')).status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' })));
    await env.client.patch(PODS, 'default', 'stray', 'merge', { metadata: { labels: { app: 'web' } } });
    await eventually(async () => {
      const stray = await env.client.get<P>(PODS, 'default', 'stray');
      expect(stray.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', controller: true });
      expect(await livePods('app=web')).toHaveLength(6);
      expect((await rsStatus('web'))?.replicas).toBe(6);
    });

    // scale down to 2: unscheduled/not-ready pods would go first; all are ready here, so doubled-up nodes lose pods
    await env.client.patch(RS, 'default', 'web', 'merge', { spec: { replicas: 2 } });
    await eventually(async () => {
      const left = await livePods('app=web');
      expect(left).toHaveLength(2);
      expect(new Set(left.map((p) => p.spec?.nodeName)).size).toBe(2);
      expect(await rsStatus('web')).toMatchObject({ replicas: 2, readyReplicas: 2 });
    });

    const events = (await env.client.list<KubeObject>(EVENTS, 'default')).items;
    const msgs = events.filter((e) => (e['involvedObject'] as { name?: string }).name === 'web').map((e) => `${String(e['reason'])}: ${String(e['message'])}`);
    expect(msgs.some((m) => /^SuccessfulCreate: Created pod: web-[a-z0-9]{5}$/.test(m))).toBe(true);
    expect(msgs.some((m) => /^SuccessfulDelete: Deleted pod: /.test(m))).toBe(true);
  });

  it('deletes unscheduled pods before running ones', async () => {
    await env.client.create(RS, 'default', replicaSet('mix', 2));
    await eventually(async () => expect((await rsStatus('mix'))?.readyReplicas).toBe(2));
    // an orphan the default scheduler will not bind (another scheduler's): adopted, then the first to go
    await env.client.create(PODS, 'default', { ...pod('pending', { labels: { app: 'mix' } }), spec: { schedulerName: 'other', containers: [{ name: 'c', image: 'x' }] } });
    await eventually(async () => {
      const names = (await livePods('app=mix')).map((p) => p.metadata?.name);
      expect(names).toHaveLength(2);
      expect(names).not.toContain('pending');
    });
  });

  it('releases a pod whose labels stop matching and replaces it', async () => {
    await env.client.create(RS, 'default', replicaSet('rel', 2));
    await eventually(async () => expect((await rsStatus('rel'))?.readyReplicas).toBe(2));
    const [first] = await livePods('app=rel');
    await env.client.patch(PODS, 'default', first!.metadata?.name ?? '', 'merge', { metadata: { labels: { app: 'other' } } });
    await eventually(async () => {
      const released = await env.client.get<P>(PODS, 'default', first!.metadata?.name ?? '');
      expect(released.metadata?.ownerReferences ?? []).toEqual([]);
      expect(await livePods('app=rel')).toHaveLength(2);
    });
  });

  it('runs ReplicationControllers with a map selector', async () => {
    const rc = await env.client.create<ReplicaOwner>(RC, 'default', replicationController('legacy', 2));
    await eventually(async () => {
      const st = (await env.client.get<ReplicaOwner>(RC, 'default', 'legacy')).status;
      expect(st).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
    });
    const pods = await livePods('app=legacy');
    expect(pods).toHaveLength(2);
    expect(pods[0]?.metadata?.ownerReferences?.[0]).toMatchObject({ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: rc.metadata?.uid });
  });
});
