/**
 * PURE: Services + EndpointSlices (+ this node's name and addresses) -> ProxyState, as kube-proxy's
 * service and endpoint change trackers see them. Only ready, non-terminating IPv4 endpoints count
 * (a nil `ready` means ready); a slice port is matched to the service port by name and protocol,
 * so named target ports come out resolved; `local` marks endpoints whose nodeName is this node.
 * Headless and ExternalName services have no rules.
 */
import type { Service, ServicePort as V1ServicePort } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { PROTOCOLS } from './types.js';
import type { Protocol, ProxyEndpoint, ProxyState, ServicePort } from './types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServiceStateInput {
  services: readonly Service[];
  slices: readonly EndpointSlice[];
  nodeName: string;
  nodeIPs: readonly string[];
}

const protocolOf = (p: string | undefined): Protocol | undefined => {
  const v = p ?? 'TCP';
  return (PROTOCOLS as readonly string[]).includes(v) ? (v as Protocol) : undefined;
};

/** Slices grouped by "ns/service". */
function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!svc || s.addressType !== 'IPv4') continue;
    const key = `${s.metadata?.namespace ?? ''}/${svc}`;
    out.set(key, [...(out.get(key) ?? []), s]);
  }
  return out;
}

function endpointsFor(port: V1ServicePort, protocol: Protocol, slices: readonly EndpointSlice[], nodeName: string): ProxyEndpoint[] {
  const byKey = new Map<string, ProxyEndpoint>();
  const wanted = port.name ?? '';
  for (const s of slices) {
    for (const sp of s.ports ?? []) {
      if ((sp.name ?? '') !== wanted || (sp.protocol ?? 'TCP') !== protocol || sp.port === undefined) continue;
      for (const e of s.endpoints ?? []) {
        const c = e.conditions ?? {};
        if (c.ready === false || c.terminating === true) continue;
        const ip = e.addresses[0];
        if (!ip) continue;
        const key = `${ip}:${sp.port}`;
        if (!byKey.has(key)) byKey.set(key, { ip, port: sp.port, ready: true, local: e.nodeName === nodeName });
      }
    }
  }
  return [...byKey.values()].sort((a, b) => (a.ip === b.ip ? a.port - b.port : compareIps(a.ip, b.ip)));
}

function compareIps(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The ServicePorts of one service ([] for headless and ExternalName services). */
function servicePortsOf(svc: Service, slices: readonly EndpointSlice[], nodeName: string): ServicePort[] {
  const spec = svc.spec ?? {};
  const ns = svc.metadata?.namespace ?? '';
  const name = svc.metadata?.name ?? '';
  const type = spec.type ?? 'ClusterIP';
  const clusterIP = spec.clusterIP ?? '';
  if (type === 'ExternalName' || clusterIP === '' || clusterIP === 'None') return [];
  const external = type === 'NodePort' || type === 'LoadBalancer';
  const lbIPs = type === 'LoadBalancer'
    ? (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => !!ip)
    : [];
  const out: ServicePort[] = [];
  for (const port of spec.ports ?? []) {
    const protocol = protocolOf(port.protocol);
    if (!protocol) continue;
    out.push({
      name: port.name ? `${ns}/${name}:${port.name}` : `${ns}/${name}`,
      clusterIP, port: port.port, protocol,
      ...(external && port.nodePort ? { nodePort: port.nodePort } : {}),
      endpoints: endpointsFor(port, protocol, slices, nodeName),
      sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
      ...(spec.sessionAffinity === 'ClientIP' ? { affinityTimeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 } : {}),
      externalTrafficPolicy: external && spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
      loadBalancerIPs: lbIPs,
      externalIPs: [...(spec.externalIPs ?? [])],
    });
  }
  return out;
}

interface Built { svc: Service; slices: readonly EndpointSlice[]; nodeName: string; ports: ServicePort[] }

const sameItems = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * buildProxyState with a memory: a service whose object and EndpointSlice objects are the ones of
 * the previous build (an informer cache hands out the same objects until they change) keeps its
 * ServicePort objects, so the proxier and renderer recognise it as unchanged by identity.
 */
export class ProxyStateBuilder {
  private built = new Map<string, Built>();

  build(input: ServiceStateInput): ProxyState {
    const slices = slicesByService(input.slices);
    const next = new Map<string, Built>();
    const servicePorts: ServicePort[] = [];
    for (const svc of input.services) {
      const key = `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
      const mine = slices.get(key) ?? [];
      const prev = this.built.get(key);
      const ports = prev && prev.svc === svc && prev.nodeName === input.nodeName && sameItems(prev.slices, mine)
        ? prev.ports
        : servicePortsOf(svc, mine, input.nodeName);
      next.set(key, { svc, slices: mine, nodeName: input.nodeName, ports });
      servicePorts.push(...ports);
    }
    this.built = next;
    return { servicePorts, nodeIPs: [...input.nodeIPs] };
  }
}

export function buildProxyState(input: ServiceStateInput): ProxyState {
  return new ProxyStateBuilder().build(input);
}
