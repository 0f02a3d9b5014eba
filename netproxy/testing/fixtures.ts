/** Builders of ProxyState pieces for tests and the benchmark. */
import type { ProxyEndpoint, ProxyState, ServicePort } from '../types.js';

export const RENDER_OPTS = { masqueradeMark: '0x4000', clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' } as const;

export function ep(ip: string, port = 8080, local = false): ProxyEndpoint {
  return { ip, port, ready: true, local };
}

export function servicePort(name: string, over: Partial<ServicePort> = {}): ServicePort {
  return {
    name, clusterIP: '10.96.0.10', port: 80, protocol: 'TCP', endpoints: [], sessionAffinity: 'None',
    externalTrafficPolicy: 'Cluster', loadBalancerIPs: [], externalIPs: [], ...over,
  };
}

export function state(...servicePorts: ServicePort[]): ProxyState {
  return { servicePorts, nodeIPs: ['10.200.0.11'] };
}

/** n services × k endpoints, each with a ClusterIP and a NodePort (the benchmark's shape). */
export function manyServices(n: number, k: number, podBase = '10.244'): ProxyState {
  const sps: ServicePort[] = [];
  for (let i = 0; i < n; i++) {
    const endpoints: ProxyEndpoint[] = [];
    for (let j = 0; j < k; j++) {
      const idx = i * k + j;
      endpoints.push(ep(`${podBase}.${1 + Math.floor(idx / 250)}.${1 + (idx % 250)}`, 8080, j === 0));
    }
    sps.push(servicePort(`bench/svc-${i}:http`, {
      clusterIP: `10.96.${Math.floor((i + 100) / 250)}.${(i + 100) % 250 + 1}`,
      nodePort: 30000 + i, endpoints,
    }));
  }
  return { servicePorts: sps, nodeIPs: [] };
}
