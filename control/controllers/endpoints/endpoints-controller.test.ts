import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { isApiError } from '../../api/status.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { FakeKubelet } from '../../controller-manager/testing/fake-kubelet.js';
import { createEndpointsController } from './endpoints-controller.js';

const PODS = findResource('', 'v1', 'pods')!;
const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;

function webPod(name: string, namedPort: boolean, labels: Record<string, string> = { app: 'web' }): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
    spec: {
      nodeName: 'n1', terminationGracePeriodSeconds: 0,
      containers: [{ name: 'c', image: 'nginx', ports: namedPort ? [{ name: 'http', containerPort: 8080 }] : [] }],
    },
  };
}

const webService: Service = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { tier: 'front' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9090 }] },
};

describe('EndpointsController', () => {
  let env: ControllerEnv;
  const getEp = () => env.client.get<Endpoints & KubeObject>(ENDPOINTS, 'default', 'web');
  const ips = async () => Object.fromEntries((await env.client.list<Pod & KubeObject>(PODS, 'default')).items.map((p) => [p.metadata?.name, p.status?.podIP]));

  beforeEach(async () => {
    env = await startControllerEnv();
    const kubelet = new FakeKubelet({ client: env.client, nodeName: 'n1' });
    await kubelet.register();
    env.start(createEndpointsController(env.ctx), kubelet);
  });
  afterEach(async () => { await env.close(); });

  it('follows pods becoming ready, not ready and deleted, resolving named target ports', async () => {
    await env.client.create(SERVICES, 'default', webService as KubeObject);
    await env.client.create(PODS, 'default', webPod('a', true));
    await env.client.create(PODS, 'default', webPod('b', false));
    await env.client.create(PODS, 'default', webPod('other', true, { app: 'other' }));

    const ep = await eventually(async () => {
      const e = await getEp();
      expect(e.subsets).toHaveLength(2);
      return e;
    });
    const ip = await ips();
    expect(ep.metadata?.labels).toEqual({ tier: 'front' });
    expect(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(/Z$/);
    // a offers http (named, 8080) and metrics; b lacks the named port: only metrics
    const http = ep.subsets!.find((s) => s.ports?.some((p) => p.name === 'http'))!;
    const metrics = ep.subsets!.find((s) => s.ports?.some((p) => p.name === 'metrics'))!;
    expect(http.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(http.addresses?.map((a) => a.ip)).toEqual([ip['a']]);
    expect(http.addresses?.[0]).toMatchObject({ nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a' } });
    expect(metrics.ports).toEqual([{ name: 'metrics', port: 9090, protocol: 'TCP' }]);
    expect(metrics.addresses?.map((a) => a.ip).sort()).toEqual([ip['a'], ip['b']].sort());

    // a becomes not ready
    const a = await env.client.get<Pod & KubeObject>(PODS, 'default', 'a');
    const conditions = (a.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
    await env.client.patch(PODS, 'default', 'a', 'merge', { status: { conditions } }, { subresource: 'status' });
    await eventually(async () => {
      const e = await getEp();
      const h = e.subsets!.find((s) => s.ports?.some((p) => p.name === 'http'))!;
      expect(h.addresses).toBeUndefined();
      expect(h.notReadyAddresses?.map((x) => x.ip)).toEqual([ip['a']]);
      const m = e.subsets!.find((s) => s.ports?.some((p) => p.name === 'metrics'))!;
      expect(m.addresses?.map((x) => x.ip)).toEqual([ip['b']]);
      expect(m.notReadyAddresses?.map((x) => x.ip)).toEqual([ip['a']]);
    });

    // b is deleted
    await env.client.delete(PODS, 'default', 'b');
    await eventually(async () => {
      const e = await getEp();
      expect(JSON.stringify(e.subsets)).not.toContain(`"${ip['b']}"`);
      expect(e.subsets).toHaveLength(1);
      expect(e.subsets![0]!.ports).toHaveLength(2);
    });
  });

  it('follows a selector change, and deletes the Endpoints with the Service', async () => {
    await env.client.create(SERVICES, 'default', webService as KubeObject);
    await env.client.create(PODS, 'default', webPod('a', true));
    await env.client.create(PODS, 'default', webPod('o', true, { app: 'other' }));
    await eventually(async () => { expect((await getEp()).subsets?.[0]?.addresses?.[0]?.targetRef?.name).toBe('a'); });
    // steady: nothing is rewritten once right, though the controller looks again
    const rv = (await getEp()).metadata?.resourceVersion;
    let pokes = 0;
    await env.nextReconcile('default/web', () => env.client.patch(SERVICES, 'default', 'web', 'merge', { metadata: { annotations: { 'test/poke': String(++pokes) } } }));
    expect((await getEp()).metadata?.resourceVersion).toBe(rv);

    await env.client.patch(SERVICES, 'default', 'web', 'merge', { spec: { selector: { app: 'other' } } });
    await eventually(async () => {
      const names = (await getEp()).subsets?.flatMap((s) => s.addresses ?? []).map((x) => x.targetRef?.name);
      expect(new Set(names)).toEqual(new Set(['o']));
    });
    await env.client.delete(SERVICES, 'default', 'web');
    await eventually(async () => {
      const err = await getEp().then(() => undefined, (e: unknown) => e);
      expect(isApiError(err) && err.code).toBe(404);
    });
  });

  it('publishes not-ready addresses as ready when asked, and leaves selector-less services alone', async () => {
    await env.client.create(SERVICES, 'default', { ...webService, spec: { ...webService.spec, publishNotReadyAddresses: true } } as KubeObject);
    await env.client.create(PODS, 'default', { ...webPod('p', true), spec: { containers: [{ name: 'c', image: 'x' }] } });
    // an unscheduled pod has no IP yet: not listed
    await eventually(async () => { expect((await getEp()).subsets ?? []).toEqual([]); });

    const manual: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 443, protocol: 'TCP' }] }] };
    await env.client.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { ports: [{ port: 443 }] } });
    await env.client.create(ENDPOINTS, 'default', manual as KubeObject);
    await env.client.create(PODS, 'default', webPod('q', true));
    await eventually(async () => { expect((await getEp()).subsets?.[0]?.addresses).toHaveLength(1); });
    const ext = await env.client.get<Endpoints & KubeObject>(ENDPOINTS, 'default', 'ext');
    expect(ext.subsets).toEqual(manual.subsets);
  });
});
