import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { describe, expect, it } from 'vitest';
import { ProxyStateBuilder, buildProxyState } from './service-state.js';

const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service =>
  ({ metadata: { namespace: 'default', name }, spec, ...(status ? { status } : {}) });

const slice = (name: string, service: string, over: Partial<EndpointSlice>): EndpointSlice => ({
  metadata: { namespace: 'default', name, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4', endpoints: [], ...over,
});

describe('buildProxyState', () => {
  it('keeps ready endpoints only, resolves named ports from the slices, marks local endpoints', () => {
    const st = buildProxyState({
      nodeName: 'node-a', nodeIPs: ['10.200.0.11'],
      services: [svc('web', { type: 'NodePort', clusterIP: '10.96.0.20', ports: [
        { name: 'http', port: 80, targetPort: 'web', nodePort: 30008 },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ] })],
      slices: [
        slice('web-1', 'web', {
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }],
          endpoints: [
            { addresses: ['10.244.2.5'], conditions: { ready: true }, nodeName: 'node-b' },
            { addresses: ['10.244.1.5'], conditions: {}, nodeName: 'node-a' },
            { addresses: ['10.244.1.6'], conditions: { ready: false } },
            { addresses: ['10.244.1.7'], conditions: { ready: false, serving: true, terminating: true } },
          ],
        }),
        slice('web-2', 'web', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.1.5'] }] }),
        slice('other', 'other', { ports: [{ name: 'http', port: 1 }], endpoints: [{ addresses: ['10.244.9.9'] }] }),
      ],
    });
    expect(st.nodeIPs).toEqual(['10.200.0.11']);
    expect(st.servicePorts).toEqual([
      {
        name: 'default/web:http', clusterIP: '10.96.0.20', port: 80, protocol: 'TCP', nodePort: 30008,
        endpoints: [{ ip: '10.244.1.5', port: 8080, ready: true, local: true }, { ip: '10.244.2.5', port: 8080, ready: true, local: false }],
        sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', loadBalancerIPs: [], externalIPs: [],
      },
      {
        name: 'default/web:dns', clusterIP: '10.96.0.20', port: 53, protocol: 'UDP',
        endpoints: [{ ip: '10.244.1.5', port: 5353, ready: true, local: true }, { ip: '10.244.2.5', port: 5353, ready: true, local: false }],
        sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', loadBalancerIPs: [], externalIPs: [],
      },
    ]);
  });

  it('terminating endpoints: ready ones count (publishNotReadyAddresses); serving ones only when nothing is ready', () => {
    const eps = (endpoints: EndpointSlice['endpoints']) => buildProxyState({
      nodeName: 'n', nodeIPs: [],
      services: [svc('web', { clusterIP: '10.96.0.20', ports: [{ port: 80 }] })],
      slices: [slice('web-1', 'web', { ports: [{ name: '', port: 8080, protocol: 'TCP' }], endpoints })],
    }).servicePorts[0]?.endpoints.map((e) => e.ip);
    const draining = { addresses: ['10.244.1.7'], conditions: { ready: false, serving: true, terminating: true } };
    const gone = { addresses: ['10.244.1.8'], conditions: { ready: false, serving: false, terminating: true } };
    expect(eps([{ addresses: ['10.244.1.9'], conditions: { ready: true, serving: false, terminating: true } }, gone])).toEqual(['10.244.1.9']);
    expect(eps([draining, gone])).toEqual(['10.244.1.7']);
    expect(eps([draining, { addresses: ['10.244.1.5'], conditions: { ready: true } }])).toEqual(['10.244.1.5']);
    expect(eps([gone, { addresses: ['10.244.1.6'], conditions: { ready: false } }])).toEqual([]);
  });

  it('carries affinity, Local policy, LB ingress and external IPs; skips headless and ExternalName', () => {
    const st = buildProxyState({
      nodeName: 'n', nodeIPs: [],
      services: [
        svc('lb', {
          type: 'LoadBalancer', clusterIP: '10.96.0.30', ports: [{ port: 80, nodePort: 30100 }], externalTrafficPolicy: 'Local',
          sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, externalIPs: ['10.200.0.99'],
        }, { loadBalancer: { ingress: [{ ip: '10.200.0.11' }, { hostname: 'x' }] } }),
        svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
        svc('ext', { type: 'ExternalName', externalName: 'example.test' }),
        svc('plain', { clusterIP: '10.96.0.31', ports: [{ port: 81, nodePort: 30101 }], externalTrafficPolicy: 'Local' }),
      ],
      slices: [],
    });
    expect(st.servicePorts.map((s) => s.name)).toEqual(['default/lb', 'default/plain']);
    expect(st.servicePorts[0]).toMatchObject({
      nodePort: 30100, externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP', affinityTimeoutSeconds: 60,
      loadBalancerIPs: ['10.200.0.11'], externalIPs: ['10.200.0.99'], endpoints: [],
    });
    // a ClusterIP service ignores nodePort and the external policy
    expect(st.servicePorts[1]?.nodePort).toBeUndefined();
    expect(st.servicePorts[1]?.externalTrafficPolicy).toBe('Cluster');
  });

  it('a builder reuses the ServicePort objects of services whose Service and slices are the same objects', () => {
    const b = new ProxyStateBuilder();
    const a = svc('a', { clusterIP: '10.96.0.21', ports: [{ port: 80 }] });
    const c = svc('c', { clusterIP: '10.96.0.22', ports: [{ port: 80 }] });
    const sa = slice('a-1', 'a', { ports: [{ port: 8080 }], endpoints: [{ addresses: ['10.244.1.2'] }] });
    const sc = slice('c-1', 'c', { ports: [{ port: 8080 }], endpoints: [{ addresses: ['10.244.1.3'] }] });
    const input = { nodeName: 'n', nodeIPs: ['10.200.0.11'] };
    const first = b.build({ ...input, services: [a, c], slices: [sa, sc] }).servicePorts;
    const sc2 = slice('c-1', 'c', { ports: [{ port: 8080 }], endpoints: [{ addresses: ['10.244.1.4'] }] });
    const second = b.build({ ...input, services: [a, c], slices: [sa, sc2] }).servicePorts;
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.endpoints.map((e) => e.ip)).toEqual(['10.244.1.4']);
    // a new Service object (an update) is rebuilt even with the same slices
    const a2 = svc('a', { clusterIP: '10.96.0.21', ports: [{ port: 81 }] });
    expect(b.build({ ...input, services: [a2, c], slices: [sa, sc2] }).servicePorts[0]?.port).toBe(81);
  });
});
