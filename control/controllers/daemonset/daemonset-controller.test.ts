import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { createScheduler } from '../../scheduler/scheduler.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { FakeKubelet } from '../../controller-manager/testing/fake-kubelet.js';
import { createDaemonSetController } from './daemonset-controller.js';
import { REVISION_HASH_LABEL } from './daemon-pod.js';

const DAEMONSETS = findResource('apps', 'v1', 'daemonsets')!;
const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const EVENTS = findResource('', 'v1', 'events')!;

function daemonSet(name: string, extra: { nodeSelector?: Record<string, string>; image?: string } = {}): KubeObject {
  const ds: DaemonSet = {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: extra.image ?? 'agent:1' }], ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}) },
      },
    },
  };
  return ds as unknown as KubeObject;
}

describe('DaemonSetController', () => {
  let env: ControllerEnv;
  const kubelets: FakeKubelet[] = [];
  const addNode = async (name: string, labels?: Record<string, string>) => {
    const k = new FakeKubelet({ client: env.client, nodeName: name, labels });
    await k.register();
    kubelets.push(k);
    env.start(k);
  };
  const pods = async () => (await env.client.list<Pod & KubeObject>(PODS, 'default')).items.filter((p) => !p.metadata?.deletionTimestamp);
  const running = async () => (await pods()).filter((p) => p.status?.phase === 'Running');

  beforeEach(async () => {
    env = await startControllerEnv();
    kubelets.length = 0;
    for (const n of ['n1', 'n2', 'n3']) await addNode(n, n === 'n3' ? { role: 'edge' } : { role: 'core' });
    env.start(createScheduler(env.ctx), createDaemonSetController(env.ctx));
  });
  afterEach(async () => { await env.close(); });

  it('runs one pod per node, a new node gets one, a removed node loses it', async () => {
    await env.client.create(DAEMONSETS, 'default', daemonSet('agent'));
    await eventually(async () => {
      const ps = await running();
      expect(ps.map((p) => p.spec?.nodeName).sort()).toEqual(['n1', 'n2', 'n3']);
    });
    const [p] = await running();
    expect(p!.metadata?.labels?.[REVISION_HASH_LABEL]).toMatch(/^[a-z0-9]+$/);
    expect(p!.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'agent', controller: true });
    expect(p!.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: [p!.spec?.nodeName] }] },
    ]);
    expect(p!.spec?.tolerations).toEqual(expect.arrayContaining([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ]));
    await eventually(async () => {
      const ds = await env.client.get<DaemonSet & KubeObject>(DAEMONSETS, 'default', 'agent');
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 3, numberMisscheduled: 0, observedGeneration: 1 });
    });

    await addNode('n4');
    await eventually(async () => expect((await running()).map((p) => p.spec?.nodeName).sort()).toEqual(['n1', 'n2', 'n3', 'n4']));

    kubelets[3]!.stopRenewing();
    await env.client.delete(NODES, undefined, 'n4');
    await eventually(async () => expect((await pods()).map((p) => p.spec?.nodeName).sort()).toEqual(['n1', 'n2', 'n3']));

    await eventually(async () => {
      const events = (await env.client.list<Event & KubeObject>(EVENTS, 'default')).items;
      expect(events.filter((e) => e.reason === 'SuccessfulCreate' && /^Created pod: agent-/.test(e.message ?? ''))).toHaveLength(4);
      expect(events.some((e) => e.reason === 'SuccessfulDelete' && /^Deleted pod: agent-/.test(e.message ?? ''))).toBe(true);
    });
  });

  it('leaves out nodes its nodeSelector excludes', async () => {
    await env.client.create(DAEMONSETS, 'default', daemonSet('core', { nodeSelector: { role: 'core' } }));
    await eventually(async () => expect((await running()).map((p) => p.spec?.nodeName).sort()).toEqual(['n1', 'n2']));
    await eventually(async () => {
      const ds = await env.client.get<DaemonSet & KubeObject>(DAEMONSETS, 'default', 'core');
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2 });
    });
    // relabel n3 into the selector: it gets a pod
    await env.client.patch(NODES, undefined, 'n3', 'merge', { metadata: { labels: { role: 'core' } } });
    await eventually(async () => expect((await running()).map((p) => p.spec?.nodeName).sort()).toEqual(['n1', 'n2', 'n3']));
  });

  it('rolls a template change one node at a time', async () => {
    await env.client.create(DAEMONSETS, 'default', daemonSet('agent'));
    await eventually(async () => expect(await running()).toHaveLength(3));
    const oldHash = (await running())[0]!.metadata?.labels?.[REVISION_HASH_LABEL];

    // watch every pod change and track, per node, whether it has a ready, live pod
    const ac = new AbortController();
    const state = new Map<string, Pod>();
    let minReadyNodes = Infinity;
    const list = await env.client.list<Pod & KubeObject>(PODS, 'default');
    for (const p of list.items) state.set(p.metadata?.name ?? '', p);
    const watching = (async () => {
      for await (const ev of env.client.watch<Pod & KubeObject>(PODS, 'default', { resourceVersion: list.resourceVersion }, ac.signal)) {
        if (ev.type === 'BOOKMARK') continue;
        if (ev.type === 'DELETED') state.delete(ev.object.metadata?.name ?? ''); else state.set(ev.object.metadata?.name ?? '', ev.object);
        const readyNodes = new Set([...state.values()]
          .filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
          .map((p) => p.spec?.nodeName));
        minReadyNodes = Math.min(minReadyNodes, readyNodes.size);
      }
    })().catch(() => undefined);

    await env.client.patch(DAEMONSETS, 'default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } });
    await eventually(async () => {
      const ps = await running();
      expect(ps).toHaveLength(3);
      expect(ps.every((p) => p.spec?.containers[0]?.image === 'agent:2' && p.metadata?.labels?.[REVISION_HASH_LABEL] !== oldHash)).toBe(true);
    }, { timeoutMs: 5000 });
    await eventually(async () => {
      const ds = await env.client.get<DaemonSet & KubeObject>(DAEMONSETS, 'default', 'agent');
      expect(ds.status).toMatchObject({ updatedNumberScheduled: 3, numberAvailable: 3, observedGeneration: 2 });
    });
    ac.abort();
    await watching;
    expect(minReadyNodes).toBe(2);
  });

  it('OnDelete leaves old pods until they are deleted', async () => {
    const ds = daemonSet('manual');
    (ds['spec'] as Record<string, unknown>)['updateStrategy'] = { type: 'OnDelete' };
    await env.client.create(DAEMONSETS, 'default', ds);
    await eventually(async () => expect(await running()).toHaveLength(3));
    await env.client.patch(DAEMONSETS, 'default', 'manual', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } });
    await eventually(async () => {
      const d = await env.client.get<DaemonSet & KubeObject>(DAEMONSETS, 'default', 'manual');
      expect(d.status?.observedGeneration).toBe(2);
    });
    expect((await running()).every((p) => p.spec?.containers[0]?.image === 'agent:1')).toBe(true);
    const victim = (await running())[0]!;
    await env.client.delete(PODS, 'default', victim.metadata?.name ?? '');
    await eventually(async () => {
      const ps = await running();
      expect(ps).toHaveLength(3);
      expect(ps.filter((p) => p.spec?.containers[0]?.image === 'agent:2').map((p) => p.spec?.nodeName)).toEqual([victim.spec?.nodeName]);
    });
  });
});
