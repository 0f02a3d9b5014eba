import type { Event, Node, Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { rfc3339 } from '../../util/clock.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { FakeKubelet } from '../../controller-manager/testing/fake-kubelet.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const EVENTS = findResource('', 'v1', 'events')!;

const tolerate = (seconds?: number): Toleration[] => ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']
  .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) }));

function pod(name: string, nodeName: string, tolerations: Toleration[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'x' }] } };
}

describe('NodeLifecycleController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });

  let controller: NodeLifecycleController;
  async function setup(names: string[]): Promise<FakeKubelet[]> {
    env = await startControllerEnv({ options: { nodeMonitorGracePeriodMs: 1000, nodeMonitorPeriodMs: 100 } });
    const kubelets = names.map((nodeName) => new FakeKubelet({ client: env.client, nodeName, leaseRenewMs: 100 }));
    for (const k of kubelets) await k.register();
    controller = new NodeLifecycleController(env.ctx);
    env.start(controller, ...kubelets);
    return kubelets;
  }
  const getNode = (name: string) => env.client.get<Node & KubeObject>(NODES, undefined, name);
  const getPod = (name: string) => env.client.get<Pod & KubeObject>(PODS, 'default', name);
  const podReady = async (name: string) => (await getPod(name)).status?.conditions?.find((c) => c.type === 'Ready')?.status;

  it('marks a silent node Unknown and unreachable, evicts its pods after their toleration, and heals', async () => {
    const [n1] = await setup(['n1', 'n2']);
    await env.client.create(PODS, 'default', pod('short', 'n1', tolerate(1)));
    await env.client.create(PODS, 'default', pod('forever', 'n1', tolerate()));
    await env.client.create(PODS, 'default', pod('elsewhere', 'n2', tolerate(1)));
    await eventually(async () => { expect(await podReady('short')).toBe('True'); expect(await podReady('forever')).toBe('True'); });

    const stoppedAt = Date.now();
    n1!.stopRenewing();
    const node = await eventually(async () => {
      const n = await getNode('n1');
      expect(n.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
      return n;
    }, { timeoutMs: 3000 });
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(800); // the last renewal was up to 100 ms before
    const conds = Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, c]));
    expect(conds['Ready']).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    for (const t of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) expect(conds[t]).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated' });
    expect(node.spec?.taints?.find((t) => t.effect === 'NoExecute')?.timeAdded).toMatch(/Z$/);

    await eventually(async () => { expect(await podReady('short')).toBe('False'); expect(await podReady('forever')).toBe('False'); });
    // evicted (Terminating: the dead kubelet never confirms) after tolerationSeconds
    const evicted = await eventually(async () => {
      const p = await getPod('short');
      expect(p.metadata?.deletionTimestamp).toBeTruthy();
      return p;
    }, { timeoutMs: 3000 });
    expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager' });
    await eventually(async () => {
      const evs = (await env.client.list<Event & KubeObject>(EVENTS, 'default')).items;
      expect(evs.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/short')).toBe(true);
      expect(evs.some((e) => e.reason === 'NodeNotReady' && e.message === 'Node n1 status is now: NodeNotReady')).toBe(true);
      expect(evs.some((e) => e.reason === 'NodeNotReady' && e.message === 'Node is not ready' && e.involvedObject.name === 'forever')).toBe(true);
    });
    expect((await getPod('forever')).metadata?.deletionTimestamp).toBeUndefined();
    expect((await getPod('elsewhere')).metadata?.deletionTimestamp).toBeUndefined();
    expect((await getNode('n2')).spec?.taints).toBeUndefined();

    // the kubelet posts Ready again: taints go
    const now = rfc3339(new Date());
    const conditions = (await getNode('n1')).status?.conditions?.map((c) => (c.type === 'Ready' ? { ...c, status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now } : c));
    await env.client.patch(NODES, undefined, 'n1', 'merge', { status: { conditions } }, { subresource: 'status' });
    await eventually(async () => { expect((await getNode('n1')).spec?.taints).toBeUndefined(); });
  });

  it('evicts a pod that does not tolerate a NoExecute taint at once', async () => {
    await setup(['n1']);
    await env.client.create(PODS, 'default', pod('plain', 'n1', []));
    await env.client.create(PODS, 'default', pod('tolerant', 'n1', [{ key: 'example.com/maint', operator: 'Exists', effect: 'NoExecute' }]));
    await eventually(async () => { expect(await podReady('plain')).toBe('True'); });
    await env.client.patch(NODES, undefined, 'n1', 'merge', { spec: { taints: [{ key: 'example.com/maint', effect: 'NoExecute' }] } });
    // the live kubelet confirms the deletion: the pod goes
    await eventually(async () => {
      const err = await getPod('plain').then(() => undefined, (e: unknown) => e);
      expect(err).toBeTruthy();
    });
    expect((await getPod('tolerant')).metadata?.deletionTimestamp).toBeUndefined();
  });

  it('does not add NoExecute taints when every node is down', async () => {
    const [n1] = await setup(['solo']);
    n1!.stopRenewing();
    await eventually(async () => {
      const n = await getNode('solo');
      expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
      expect(n.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    }, { timeoutMs: 3000 });
    await controller.monitorOnce(); // one more whole pass with the node down
    expect((await getNode('solo')).spec?.taints).toHaveLength(1);
  });
});
