import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { describe, expect, it } from 'vitest';
import { LogCapture } from '../control/util/testing/log-capture.js';
import { FakeIptables } from './fake-iptables.js';
import { Proxier } from './proxier.js';
import { renderRules, serviceChainsOf } from './render.js';
import { checkRuleJumps } from './rule-check.js';
import { isRenderable } from './safe-values.js';
import { ProxyStateBuilder } from './service-state.js';
import { RENDER_OPTS, ep, servicePort, state } from './testing/fixtures.js';

/** A value an attacker stored: a newline ends the rule, the rest is a rule and a chain of its own. */
const INJECT = '10.200.0.50 --dport 80 -j ACCEPT\n:TK-EVIL - [0:0]\n-A TK-SERVICES -j TK-EVIL';
const BAD = [INJECT, '1.2.3', 'nope', '010.1.1.1', ' 10.200.0.51', '10.200.0.52\n'];

const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service =>
  ({ metadata: { namespace: 'default', name }, spec, ...(status ? { status } : {}) });
const slice = (name: string, service: string, addresses: string[], port = 8080): EndpointSlice => ({
  metadata: { namespace: 'default', name, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4', ports: [{ name: '', port, protocol: 'TCP' }], endpoints: addresses.map((a) => ({ addresses: [a] })),
});

const good = svc('good', { type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ port: 80 }] });
const evil = svc('evil', {
  type: 'LoadBalancer', clusterIP: '10.96.0.30', externalIPs: [...BAD, '10.200.0.99'], ports: [{ port: 80, nodePort: 30012 }],
}, { loadBalancer: { ingress: [...BAD.map((ip) => ({ ip })), { ip: '10.200.0.11' }] } });
const slices = [slice('good-1', 'good', ['10.244.1.2']), slice('evil-1', 'evil', [...BAD, '10.244.1.3'])];

describe('values that are not valid in rules', () => {
  it('are left out by the state builder, each logged once with its service and field; the rest renders (golden)', async () => {
    const cap = new LogCapture();
    const builder = new ProxyStateBuilder({ log: cap.log });
    const st = builder.build({ services: [good, evil], slices, nodeName: 'n1', nodeIPs: [] });
    const payload = renderRules(st, RENDER_OPTS);
    await expect(payload).toMatchFileSnapshot('testdata/skipped-values.rules');
    expect(checkRuleJumps(payload)).toEqual([]);
    expect(payload).not.toMatch(/TK-EVIL|--dport 80 -j ACCEPT|1\.2\.3 |nope|010\.1\.1\.1|10\.200\.0\.5[012]/);
    expect(payload).toContain('-A TK-SERVICES -m comment --comment "default/good cluster IP" -m tcp -p tcp -d 10.96.0.20 --dport 80');
    expect(payload).toContain('-d 10.200.0.99 --dport 80');
    expect(payload).toContain('-d 10.200.0.11 --dport 80');
    expect(payload).toContain('--to-destination 10.244.1.3:8080');

    const skipped = cap.entries.filter((e) => e['msg'] === 'Skipped a value that is not valid in rules');
    expect(skipped.map((e) => [e['service'], e['field']])).toEqual([
      ...BAD.map((_, i) => ['default/evil', `status.loadBalancer.ingress[${i}].ip`]),
      ...BAD.map((_, i) => ['default/evil', `spec.externalIPs[${i}]`]),
      ...BAD.map((_, i) => ['default/evil', `endpointslices/evil-1 endpoints[${i}].addresses[0]`]),
    ]);
    expect(skipped[0]?.['value']).toBe(INJECT);
    expect(skipped.every((e) => e['level'] === 40)).toBe(true);
    // endpoint churn rebuilds the service: what was reported is not reported again
    builder.build({ services: [good, evil], slices: [slices[0]!, slice('evil-1', 'evil', [...BAD, '10.244.1.4'])], nodeName: 'n1', nodeIPs: [] });
    expect(cap.entries.filter((e) => e['msg'] === 'Skipped a value that is not valid in rules')).toHaveLength(skipped.length);
  });

  it('drops a whole service whose clusterIP, name or port cannot be written, and only it', () => {
    const cap = new LogCapture();
    const bad = [
      svc('bad-cip', { clusterIP: '10.96.0.40\n-A X', ports: [{ port: 80 }] }),
      svc('bad-port', { clusterIP: '10.96.0.41', ports: [{ port: 70000 }, { name: 'a"b', port: 81 }] }),
      { metadata: { namespace: 'default', name: 'x" -j ACCEPT' }, spec: { clusterIP: '10.96.0.42', ports: [{ port: 80 }] } } as Service,
    ];
    const st = new ProxyStateBuilder({ log: cap.log }).build({ services: [good, ...bad], slices, nodeName: 'n1', nodeIPs: [] });
    expect(st.servicePorts.map((sp) => sp.name)).toEqual(['default/good']);
    expect(cap.entries.map((e) => [e['service'], e['field']])).toEqual([
      ['default/bad-cip', 'spec.clusterIP'], ['default/bad-port', 'spec.ports[0].port'], ['default/bad-port', 'spec.ports[1].name'],
      ['default/x" -j ACCEPT', 'metadata.name'],
    ]);
  });

  it('a service port that still carries one gets no rules from the renderer, the others keep theirs', () => {
    const web = servicePort('default/web', { clusterIP: '10.96.0.20', endpoints: [ep('10.244.1.2')] });
    const bads = [
      servicePort('default/a', { clusterIP: '10.96.0.21', externalIPs: [INJECT], endpoints: [ep('10.244.1.3')] }),
      servicePort('default/b', { clusterIP: '10.96.0.22', loadBalancerIPs: ['nope'], endpoints: [ep('10.244.1.4')] }),
      servicePort('default/c', { clusterIP: '10.96.0.23', endpoints: [ep('10.244.1.5\n-A X'), ep('10.244.1.6')] }),
      servicePort('default/d', { clusterIP: '10.96.0.24', endpoints: [ep('10.244.1.7', 0)] }),
      servicePort('default/e', { clusterIP: '10.96.0.25', nodePort: 30000.5, endpoints: [ep('10.244.1.8')] }),
      servicePort('default/f"\n-A X', { clusterIP: '10.96.0.26', endpoints: [ep('10.244.1.9')] }),
      servicePort('default/g', { clusterIP: '10.96.0.27 ', endpoints: [ep('10.244.1.10')] }),
    ];
    for (const sp of bads) {
      expect(isRenderable(sp), sp.name).toBe(false);
      expect(serviceChainsOf(sp)).toEqual([]);
    }
    expect(renderRules(state(web, ...bads), RENDER_OPTS)).toBe(renderRules(state(web), RENDER_OPTS));
  });

  it('a bad value never fails the restore: the proxier applies every other service', async () => {
    const iptables = new FakeIptables();
    await iptables.ensureJumps();
    const proxier = new Proxier({ iptables, log: new LogCapture().log, render: RENDER_OPTS, minSyncIntervalMs: 0, syncPeriodMs: 60_000 });
    const st = new ProxyStateBuilder().build({ services: [good, evil], slices, nodeName: 'n1', nodeIPs: [] });
    proxier.setState(st);
    await proxier.sync();
    proxier.close();
    expect(proxier.lastResult?.ok).toBe(true);
    expect(iptables.chains('nat')).not.toContain('TK-EVIL');
    expect(iptables.rules('nat', 'TK-SERVICES').some((r) => r.includes('-d 10.96.0.20 --dport 80'))).toBe(true);
  });
});
