import type { Service } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { createServiceLbController, readyNodeIPs } from './service-lb-controller.js';

const NODES = findResource('', 'v1', 'nodes')!;
const SERVICES = findResource('', 'v1', 'services')!;

describe('ServiceLbController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });

  const addNode = async (name: string, ip: string, ready: 'True' | 'False') => {
    await env.client.create(NODES, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
    await setReady(name, ip, ready);
  };
  const setReady = (name: string, ip: string, ready: 'True' | 'False') =>
    env.client.patch(NODES, undefined, name, 'merge', {
      status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }], conditions: [{ type: 'Ready', status: ready }] },
    }, { subresource: 'status' });
  const ingressOf = async (name: string) =>
    ((await env.client.get<Service & KubeObject>(SERVICES, 'default', name)).status?.loadBalancer?.ingress ?? []).map((i) => i.ip);

  it('gives LoadBalancer services the Ready nodes’ InternalIPs, follows nodes, drops them when the type changes', async () => {
    env = await startControllerEnv({ gc: false });
    await addNode('n2', '10.200.0.12', 'True');
    await addNode('n1', '10.200.0.11', 'True');
    await addNode('n3', '10.200.0.9', 'False');
    env.start(createServiceLbController(env.ctx));
    await env.client.create(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: 'default' },
      spec: { type: 'LoadBalancer', selector: { app: 'front' }, ports: [{ port: 80, targetPort: 80 }] },
    });
    await env.client.create(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'plain', namespace: 'default' },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    });
    await eventually(async () => { expect(await ingressOf('front')).toEqual(['10.200.0.11', '10.200.0.12']); });

    await setReady('n3', '10.200.0.9', 'True');
    await eventually(async () => { expect(await ingressOf('front')).toEqual(['10.200.0.9', '10.200.0.11', '10.200.0.12']); });
    await setReady('n1', '10.200.0.11', 'False');
    await eventually(async () => { expect(await ingressOf('front')).toEqual(['10.200.0.9', '10.200.0.12']); });

    await env.client.patch(SERVICES, 'default', 'front', 'merge', { spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 80, nodePort: null }] } });
    await eventually(async () => { expect(await ingressOf('front')).toEqual([]); });
    expect(await ingressOf('plain')).toEqual([]);
  });

  it('never copies a node InternalIP that is not an IPv4 address (the API takes what a node writes)', async () => {
    env = await startControllerEnv({ gc: false });
    await addNode('n1', '10.200.0.11', 'True');
    await addNode('evil', '10.200.0.66\n-A TK-SERVICES -j ACCEPT', 'True');
    await addNode('sloppy', '010.200.0.67', 'True');
    env.start(createServiceLbController(env.ctx));
    await env.client.create(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: 'default' },
      spec: { type: 'LoadBalancer', selector: { app: 'front' }, ports: [{ port: 80, targetPort: 80 }] },
    });
    await eventually(async () => { expect(await ingressOf('front')).toEqual(['10.200.0.11']); });
    await setReady('n1', '10.200.0.12', 'True');
    await eventually(async () => { expect(await ingressOf('front')).toEqual(['10.200.0.12']); });
  });

  it('sorts addresses numerically and ignores nodes that are not Ready', () => {
    const node = (ip: string, ready: string) => ({ status: { addresses: [{ type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: ready }] } });
    expect(readyNodeIPs([node('10.0.0.10', 'True'), node('10.0.0.9', 'True'), node('10.0.0.1', 'Unknown'), node('10.0.0.9', 'True')]))
      .toEqual(['10.0.0.9', '10.0.0.10']);
    const skipped: unknown[] = [];
    const named = (name: string, ip: unknown) => ({ metadata: { name }, ...node(ip as string, 'True') });
    expect(readyNodeIPs([named('a', '10.0.0.1 '), named('b', { evil: 1 }), named('c', '10.0.0.3')], (s) => skipped.push(s))).toEqual(['10.0.0.3']);
    expect(skipped).toEqual([{ node: 'a', address: '10.0.0.1 ' }, { node: 'b', address: { evil: 1 } }]);
  });
});
