import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../control/api/object.js';
import { findResource } from '../control/api/resources.js';
import { eventually } from '../test/helpers/eventually.js';
import { startControllerEnv } from '../control/controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../control/controller-manager/testing/controller-env.js';
import { FakeConntrack } from './conntrack.js';
import { FakeIptables } from './fake-iptables.js';
import { startNetproxy } from './netproxy.js';
import { serviceChainName } from './chains.js';

const SERVICES = findResource('', 'v1', 'services')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

describe('startNetproxy', () => {
  let env: ControllerEnv;
  afterEach(async () => { await env.close(); });

  it('turns Services and EndpointSlices from the API into rules, and follows changes', async () => {
    env = await startControllerEnv({ gc: false });
    const ipt = new FakeIptables();
    const svc = await env.client.create<KubeObject>(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] },
    });
    const clusterIP = (svc['spec'] as { clusterIP?: string }).clusterIP ?? '';
    expect(clusterIP).not.toBe('');
    env.start(startNetproxy({
      client: env.client, nodeName: 'node-a', nodeIPs: ['10.200.0.11'], clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12',
      iptables: ipt, conntrack: new FakeConntrack(), log: env.ctx.log, minSyncIntervalMs: 0,
    }));
    // no endpoints yet: REJECT in filter
    await eventually(() => { expect(ipt.rules('filter', 'TK-SERVICES').join('\n')).toContain(`-d ${clusterIP} --dport 80`); });
    await env.client.create(SLICES, 'default', {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'node-a' }],
    });
    const svcChain = serviceChainName('default/web:http', 'TCP');
    await eventually(() => {
      expect(ipt.chains('nat')).toContain(svcChain);
      expect(ipt.rules('nat', 'TK-NODEPORTS').join('\n')).toContain('--dport 30080');
    });
    await env.client.delete(SERVICES, 'default', 'web');
    await eventually(() => { expect(ipt.chains('nat')).not.toContain(svcChain); });
  });
});
