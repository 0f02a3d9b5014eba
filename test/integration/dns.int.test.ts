/**
 * The cluster DNS server in process, bound to 127.0.0.1 on a free port, fed by the in-process API
 * server: A, SRV, NXDOMAIN, SERVFAIL (at once, no upstream), watch-driven updates, TCP, and
 * forwarding to a fake upstream on loopback (never off the machine).
 */
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { decode, encode } from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../control/api/object.js';
import { findResource } from '../../control/api/resources.js';
import { eventually } from '../helpers/eventually.js';
import { startControllerEnv } from '../../control/controller-manager/testing/controller-env.js';
import type { ControllerEnv } from '../../control/controller-manager/testing/controller-env.js';
import { silentLogger } from '../../control/util/log.js';
import { startClusterDns } from '../../agent/dns/cluster-dns.js';
import type { ListenAddress } from '../../agent/dns/dns-server.js';
import { queryTcp, queryUdp } from '../../agent/dns/testing/dns-client.js';
import { FIXTURE_SERVICES, FIXTURE_SLICES } from '../../agent/dns/testing/dns-fixtures.js';

const SERVICES = findResource('', 'v1', 'services')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;

describe('cluster DNS on 127.0.0.1', () => {
  let env: ControllerEnv | undefined;
  let upstream: Socket | undefined;
  afterEach(async () => {
    upstream?.close();
    upstream = undefined;
    await env?.close();
    env = undefined;
  });

  async function start(upstreams?: string[]): Promise<ListenAddress> {
    env = await startControllerEnv({ gc: false });
    for (const s of FIXTURE_SERVICES) {
      if (s.metadata?.name === 'kube-dns' && s.metadata.namespace === 'kube-system') continue; // the control plane makes it
      const { spec, ...rest } = s;
      const { clusterIPs: _ignored, ...specNoIPs } = spec ?? {};
      await env.client.create(SERVICES, s.metadata?.namespace, { ...rest, spec: specNoIPs } as KubeObject);
    }
    for (const s of FIXTURE_SLICES) await env.client.create(SLICES, s.metadata?.namespace, s as KubeObject);
    const dns = startClusterDns({ client: env.client, listen: { address: '127.0.0.1', port: 0 }, log: silentLogger(), ...(upstreams ? { upstreams } : {}) });
    env.start(dns);
    const bound = await dns.listening;
    await eventually(async () => { expect((await queryUdp(bound, 'myapp-service.default.svc.cluster.local')).rcode).toBe('NOERROR'); });
    return bound;
  }

  it('answers A, SRV, headless, NXDOMAIN and SERVFAIL quickly over UDP and TCP', async () => {
    const dns = await start();
    const t0 = Date.now();
    const a = await queryUdp(dns, 'myapp-service.default.svc.cluster.local');
    expect(a.answers).toMatchObject([{ type: 'A', ttl: 5, data: expect.stringMatching(/^10\.96\./) }]);
    const srv = await queryUdp(dns, '_http._tcp.myapp-service.default.svc.cluster.local', 'SRV');
    expect(srv.answers).toMatchObject([{ type: 'SRV', data: { port: 80, target: 'myapp-service.default.svc.cluster.local' } }]);
    expect((await queryUdp(dns, 'db.default.svc.cluster.local')).answers?.map((x) => ('data' in x ? x.data : '')).sort()).toEqual(['10.244.1.5', '10.244.2.6']);
    expect((await queryUdp(dns, 'nope.default.svc.cluster.local')).rcode).toBe('NXDOMAIN');
    expect((await queryUdp(dns, 'example.com')).rcode).toBe('SERVFAIL');
    expect((await queryTcp(dns, '_dns._udp.kube-dns.kube-system.svc.cluster.local', 'SRV')).answers).toMatchObject([{ data: { port: 53 } }]);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('follows Service and EndpointSlice changes through the watch', async () => {
    const dns = await start();
    await env!.client.delete(SERVICES, 'default', 'myapp-service');
    await eventually(async () => { expect((await queryUdp(dns, 'myapp-service.default.svc.cluster.local')).rcode).toBe('NXDOMAIN'); });
    await env!.client.patch(SLICES, 'default', 'db-abc', 'merge', { endpoints: [{ addresses: ['10.244.3.7'], conditions: { ready: true } }] });
    await eventually(async () => {
      expect((await queryUdp(dns, 'db.default.svc.cluster.local')).answers).toMatchObject([{ data: '10.244.3.7' }]);
    });
  });

  it('forwards outside names to a given upstream (a fake one on loopback) ', async () => {
    upstream = createSocket('udp4');
    const u = upstream;
    u.on('message', (msg, r) => {
      const q = decode(msg);
      u.send(encode({ type: 'response', id: q.id, flags: 0, questions: q.questions, answers: [{ type: 'A', name: q.questions?.[0]?.name ?? '', ttl: 30, data: '127.0.0.9' }] }), r.port, r.address);
    });
    await new Promise<void>((r) => u.bind(0, '127.0.0.1', () => r()));
    const dns = await start([`127.0.0.1:${u.address().port}`, '127.0.0.1']);
    expect((await queryUdp(dns, 'example.com')).answers).toMatchObject([{ data: '127.0.0.9' }]);
    expect((await queryUdp(dns, 'myapp-service.default.svc.cluster.local')).answers).toMatchObject([{ type: 'A' }]);
  });
});
