import type { Service, ServiceSpec } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { dropTypeDependentFields, inferServiceUpdate, normalizeClusterIPs, patchAllocatedValues } from './type-fields.js';

const clusterIP = (extra: ServiceSpec = {}): ServiceSpec => ({
  type: 'ClusterIP', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
  ports: [{ port: 80, protocol: 'TCP' }], ...extra,
});
const nodePort = (extra: ServiceSpec = {}): ServiceSpec => clusterIP({
  type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [{ port: 80, protocol: 'TCP', nodePort: 30100 }], ...extra,
});
const svc = (spec: ServiceSpec, status?: Service['status']): Service => ({ spec: structuredClone(spec), ...(status ? { status } : {}) });
const infer = (next: ServiceSpec, prev: ServiceSpec, status?: Service['status']): Service => {
  const s = svc(next, status);
  inferServiceUpdate(s, svc(prev));
  return s;
};

describe('inferServiceUpdate', () => {
  it('ClusterIP → ExternalName with only clusterIP cleared (the v1.20 e2e client) wipes the IP fields', () => {
    const { clusterIP: _ip, ...rest } = clusterIP();
    const got = infer({ ...rest, type: 'ExternalName', externalName: 'db.example.com' }, clusterIP());
    expect(got.spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 80, protocol: 'TCP' }] });
  });

  it('ClusterIP → ExternalName leaving every IP field as it was wipes them too', () => {
    const got = infer({ ...clusterIP(), type: 'ExternalName', externalName: 'db.example.com' }, clusterIP());
    expect(got.spec?.clusterIP).toBeUndefined();
    expect(got.spec?.clusterIPs).toBeUndefined();
    expect(got.spec?.ipFamilies).toBeUndefined();
  });

  it('keeps IP fields the client changed while switching to ExternalName (validation refuses them)', () => {
    const got = infer({ ...clusterIP({ clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30'], ipFamilies: ['IPv6'] }), type: 'ExternalName', externalName: 'x.example' }, clusterIP());
    expect(got.spec).toMatchObject({ clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30'], ipFamilies: ['IPv6'] });
    expect(got.spec?.ipFamilyPolicy).toBeUndefined();
  });

  it('NodePort → ExternalName wipes nodePorts, externalTrafficPolicy and the load-balancer status', () => {
    const { clusterIP: _ip, ...rest } = nodePort();
    const got = infer({ ...rest, type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 80, protocol: 'TCP', nodePort: 0 }] }, nodePort(), { loadBalancer: { ingress: [{ ip: '10.200.0.11' }] } });
    expect(got.spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 80, protocol: 'TCP' }] });
    expect(got.status).toEqual({ loadBalancer: {} });
  });

  it('NodePort → ClusterIP keeps a nodePort the client added (validation refuses it) and drops unchanged ones', () => {
    expect(infer({ ...nodePort(), type: 'ClusterIP' }, nodePort()).spec?.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    const added = infer({ ...nodePort(), type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP', nodePort: 30200 }] }, nodePort());
    expect(added.spec?.ports?.[0]?.nodePort).toBe(30200);
  });

  it('LoadBalancer → ClusterIP drops the options only LoadBalancer uses when unchanged', () => {
    const lb = nodePort({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: true, externalTrafficPolicy: 'Local', healthCheckNodePort: 31000 });
    const got = infer({ ...lb, type: 'ClusterIP' }, lb);
    expect(got.spec).not.toHaveProperty('allocateLoadBalancerNodePorts');
    expect(got.spec).not.toHaveProperty('healthCheckNodePort');
    expect(got.spec).not.toHaveProperty('externalTrafficPolicy');
    expect(got.spec?.clusterIP).toBe('10.96.0.20');
  });

  it('ExternalName → ClusterIP leaves allocation to the registry (nothing to carry over)', () => {
    const ext: ServiceSpec = { type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 80, protocol: 'TCP' }] };
    expect(infer({ ...ext, type: 'ClusterIP', externalName: '' }, ext).spec).toEqual({ type: 'ClusterIP', externalName: '', ports: [{ port: 80, protocol: 'TCP' }] });
  });
});

describe('patchAllocatedValues', () => {
  it('a replace that omits clusterIP(s) and nodePorts keeps the allocated ones', () => {
    const spec: ServiceSpec = { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP' }] };
    patchAllocatedValues(spec, nodePort());
    expect(spec).toMatchObject({ clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ nodePort: 30100 }] });
  });

  it('matches ports by name and never hands one nodePort to two ports', () => {
    const prev = nodePort({ ports: [{ name: 'a', port: 80, nodePort: 30100 }, { name: 'b', port: 81, nodePort: 30101 }] });
    const spec: ServiceSpec = { type: 'NodePort', ports: [{ name: 'b', port: 9000 }, { name: 'a', port: 80, nodePort: 30101 }, { name: 'c', port: 82 }] };
    patchAllocatedValues(spec, prev);
    expect(spec.ports?.map((p) => p.nodePort)).toEqual([undefined, 30101, undefined]);
  });

  it('does not carry a clusterIP into ExternalName', () => {
    const spec: ServiceSpec = { type: 'ExternalName', externalName: 'x.example' };
    patchAllocatedValues(spec, clusterIP());
    expect(spec.clusterIP).toBeUndefined();
  });
});

describe('normalizeClusterIPs', () => {
  it.each<[string, ServiceSpec, string | undefined, string[] | undefined]>([
    ['old client dropped clusterIPs: restored', { clusterIP: '10.96.0.20' }, '10.96.0.20', ['10.96.0.20']],
    ['clusterIP cleared, clusterIPs as before: both cleared', { clusterIPs: ['10.96.0.20'] }, undefined, undefined],
    ['clusterIP changed, clusterIPs as before: follows', { clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.20'] }, '10.96.0.30', ['10.96.0.30']],
    ['both changed: left to validation', { clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.40'] }, '10.96.0.30', ['10.96.0.40']],
  ])('%s', (_name, spec, ip, ips) => {
    normalizeClusterIPs(spec, clusterIP());
    expect(spec.clusterIP).toBe(ip);
    expect(spec.clusterIPs).toEqual(ips);
  });
});

describe('dropTypeDependentFields', () => {
  it('changes nothing when the type stays', () => {
    const s = svc(nodePort());
    dropTypeDependentFields(s, svc(nodePort()));
    expect(s.spec).toEqual(nodePort());
  });
});
