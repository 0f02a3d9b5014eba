import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { FakeKubelet } from '../../controller-manager/testing/fake-kubelet.js';
import { createEndpointSliceController } from './endpointslice-controller.js';

const PODS = findResource('', 'v1', 'pods')!;
const SERVICES = findResource('', 'v1', 'services')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

function pod(name: string, labels: Record<string, string> = { app: 'web' }, grace = 0): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { nodeName: 'n1', terminationGracePeriodSeconds: grace, containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  };
}

describe('EndpointSliceController', () => {
  let env: ControllerEnv;
  let kubelet: FakeKubelet;
  const slices = async () => (await env.client.list<EndpointSlice & KubeObject>(SLICES, 'default', { labelSelector: 'kubernetes.io/service-name=web' })).items;
  const byName = (s: EndpointSlice) => Object.fromEntries(s.endpoints.map((e) => [e.targetRef?.name, e]));

  beforeEach(async () => {
    env = await startControllerEnv();
    kubelet = new FakeKubelet({ client: env.client, nodeName: 'n1' });
    await kubelet.register();
    env.start(createEndpointSliceController(env.ctx), kubelet);
  });
  afterEach(async () => { await env.close(); });

  it('publishes pods with conditions, named ports, owner and labels', async () => {
    const svc = await env.client.create<Service & KubeObject>(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { tier: 'front' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    // a placeholder first
    await eventually(async () => { expect((await slices()).map((s) => s.endpoints.length)).toEqual([0]); });
    await env.client.create(PODS, 'default', pod('a'));
    await env.client.create(PODS, 'default', pod('b', { app: 'web' }, 30));
    await env.client.create(PODS, 'default', pod('x', { app: 'other' }));

    const s = await eventually(async () => {
      const all = await slices();
      expect(all).toHaveLength(1);
      expect(all[0]!.endpoints).toHaveLength(2);
      return all[0]!;
    });
    expect(s.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(s.metadata?.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    expect(s.addressType).toBe('IPv4');
    expect(s.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const a = await env.client.get<Pod & KubeObject>(PODS, 'default', 'a');
    expect(byName(s)['a']).toEqual({
      addresses: [a.status?.podIP], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: a.metadata?.uid },
    });

    // a not ready
    const conditions = (a.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
    await env.client.patch(PODS, 'default', 'a', 'merge', { status: { conditions } }, { subresource: 'status' });
    await eventually(async () => {
      expect(byName((await slices())[0]!)['a']?.conditions).toEqual({ ready: false, serving: false, terminating: false });
    });
    // b terminating (the kubelet does not confirm while stopped): listed, not ready, terminating
    kubelet.stopRenewing();
    await env.client.delete(PODS, 'default', 'b');
    await eventually(async () => {
      expect(byName((await slices())[0]!)['b']?.conditions).toEqual({ ready: false, serving: true, terminating: true });
    });
    // b gone
    await env.client.delete(PODS, 'default', 'b', { gracePeriodSeconds: 0 });
    await eventually(async () => { expect(Object.keys(byName((await slices())[0]!))).toEqual(['a']); });
  });

  it('follows a selector change and spreads over several slices by port set', async () => {
    await env.client.create(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    await env.client.create(PODS, 'default', pod('a'));
    await env.client.create(PODS, 'default', { ...pod('np'), spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } });
    await env.client.create(PODS, 'default', pod('o', { app: 'other' }));
    // the pod without the named port is in a slice of its own, with no ports
    await eventually(async () => {
      const all = await slices();
      expect(all.map((s) => [s.ports?.length ?? 0, Object.keys(byName(s))]).sort()).toEqual([[0, ['np']], [1, ['a']]]);
    });
    await env.client.patch(SERVICES, 'default', 'web', 'merge', { spec: { selector: { app: 'other' } } });
    await eventually(async () => {
      const all = await slices();
      expect(all.map((s) => Object.keys(byName(s)))).toEqual([['o']]);
    });
    await env.client.delete(SERVICES, 'default', 'web');
    await eventually(async () => { expect(await slices()).toEqual([]); });
  });
});

describe('EndpointSliceController steady state', () => {
  it('does not rewrite slices that are already right (unnamed port, numeric targetPort)', async () => {
    const env = await startControllerEnv();
    try {
      const kubelet = new FakeKubelet({ client: env.client, nodeName: 'n1' });
      await kubelet.register();
      env.start(createEndpointSliceController(env.ctx), kubelet);
      await env.client.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
      await env.client.create(PODS, 'default', pod('a'));
      const list = async () => (await env.client.list<EndpointSlice & KubeObject>(SLICES, 'default')).items.filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'web');
      const first = await eventually(async () => {
        const s = await list();
        expect(s).toHaveLength(1);
        expect(s[0]!.endpoints[0]?.conditions?.ready).toBe(true);
        return s[0]!;
      });
      expect(first.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
      let pokes = 0;
      await env.nextReconcile('default/web', () => env.client.patch(SERVICES, 'default', 'web', 'merge', { metadata: { annotations: { 'test/poke': String(++pokes) } } }));
      const later = await list();
      expect(later.map((s) => [s.metadata?.name, s.metadata?.resourceVersion])).toEqual([[first.metadata?.name, first.metadata?.resourceVersion]]);
    } finally {
      await env.close();
    }
  });
});
