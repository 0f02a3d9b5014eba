import type { Node } from 'kubernetes-types/core/v1.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { eventually } from '../../../test/helpers/eventually.js';
import { startControllerEnv } from '../../controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../controller-manager/testing/controller-env.js';
import { createNodeIpamController } from './node-ipam-controller.js';

const NODES = findResource('', 'v1', 'nodes')!;
const node = (name: string, podCIDR?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {} });

describe('NodeIpamController', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });
  const cidrOf = async (name: string) => (await env.client.get<Node & KubeObject>(NODES, undefined, name)).spec;

  it('gives nodes distinct /24s, keeps existing ones, reuses a freed one', async () => {
    env = await startControllerEnv({ options: { clusterCidr: '10.244.0.0/22' } });
    await env.client.create(NODES, undefined, node('pre', '10.244.0.0/24'));
    env.start(createNodeIpamController(env.ctx));
    await env.client.create(NODES, undefined, node('a'));
    await eventually(async () => { expect(await cidrOf('a')).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] }); });
    await env.client.create(NODES, undefined, node('b'));
    await env.client.create(NODES, undefined, node('c'));
    await eventually(async () => {
      const got = [(await cidrOf('b'))?.podCIDR, (await cidrOf('c'))?.podCIDR].sort();
      expect(got).toEqual(['10.244.2.0/24', '10.244.3.0/24']);
    });
    expect((await cidrOf('pre'))?.podCIDR).toBe('10.244.0.0/24');

    // the range is full: d waits; deleting a frees its /24 for d
    await env.client.create(NODES, undefined, node('d'));
    await eventually(() => { expect(env.reconciles('d')).toBeGreaterThanOrEqual(1); }); // it has looked at d
    expect((await cidrOf('d'))?.podCIDR).toBeUndefined();
    await env.client.delete(NODES, undefined, 'a');
    await env.client.delete(NODES, undefined, 'd');
    await env.client.create(NODES, undefined, node('e'));
    await eventually(async () => { expect((await cidrOf('e'))?.podCIDR).toBe('10.244.1.0/24'); });
  });
});
