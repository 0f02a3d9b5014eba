/**
 * PURE: Services + EndpointSlices (+ this node's name and addresses) -> ProxyState, as kube-proxy's
 * service and endpoint change trackers see them. Ready IPv4 endpoints count (a nil `ready` means
 * ready; a terminating pod is ready only when its service publishes not-ready addresses); a service
 * port with none falls back to its serving terminating endpoints, as kube-proxy does (draining
 * pods keep answering until they are gone); a slice port is matched to the service port by name and protocol,
 * so named target ports come out resolved; `local` marks endpoints whose nodeName is this node.
 * Headless and ExternalName services have no rules. Values that would go into rules are checked
 * here (safe-values.ts): a bad one is left out and reported once, with its service and field.
 */
import type { Service, ServicePort as V1ServicePort } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Logger } from 'pino';
import { isAffinitySeconds, isApiName, isIPv4, isPort } from './safe-values.js';
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

/** A value left out of the rules: where it was (the object's field) and what it was. */
export interface Rejected { field: string; value: unknown }
type Reject = (field: string, value: unknown) => void;

function endpointsFor(port: V1ServicePort, protocol: Protocol, slices: readonly EndpointSlice[], nodeName: string, reject: Reject): ProxyEndpoint[] {
  const byKey = new Map<string, ProxyEndpoint>();
  const draining = new Map<string, ProxyEndpoint>();
  const wanted = port.name ?? '';
  for (const s of slices) {
    const at = `endpointslices/${s.metadata?.name ?? ''}`;
    (s.ports ?? []).forEach((sp, k) => {
      if ((sp.name ?? '') !== wanted || (sp.protocol ?? 'TCP') !== protocol || sp.port === undefined) return;
      const port = sp.port;
      if (!isPort(port)) { reject(`${at} ports[${k}].port`, port); return; }
      (s.endpoints ?? []).forEach((e, j) => {
        const c = e.conditions ?? {};
        const ready = c.ready !== false;
        if (!ready && !(c.terminating === true && (c.serving ?? c.ready) !== false)) return;
        const ip = e.addresses[0];
        if (!ip) return;
        if (!isIPv4(ip)) { reject(`${at} endpoints[${j}].addresses[0]`, ip); return; }
        const key = `${ip}:${port}`;
        const into = ready ? byKey : draining;
        if (!into.has(key)) into.set(key, { ip, port, ready: true, local: e.nodeName === nodeName });
      });
    });
  }
  return [...(byKey.size > 0 ? byKey : draining).values()].sort((a, b) => (a.ip === b.ip ? a.port - b.port : compareIps(a.ip, b.ip)));
}

function compareIps(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The values of `list` that pass `ok`; the others are rejected as `field[i]` (+ `suffix`). */
function keep<T>(list: readonly T[], field: string, ok: (v: T) => boolean, reject: Reject, suffix = ''): T[] {
  return list.filter((v, i) => ok(v) || (reject(`${field}[${i}]${suffix}`, v), false));
}

/** The ServicePorts of one service ([] for headless and ExternalName services). */
function servicePortsOf(svc: Service, slices: readonly EndpointSlice[], nodeName: string, reject: Reject): ServicePort[] {
  const spec = svc.spec ?? {};
  const ns = svc.metadata?.namespace ?? '';
  const name = svc.metadata?.name ?? '';
  const type = spec.type ?? 'ClusterIP';
  const clusterIP = spec.clusterIP ?? '';
  if (type === 'ExternalName' || clusterIP === '' || clusterIP === 'None') return [];
  if (!isApiName(ns) || !isApiName(name)) { reject('metadata.name', `${ns}/${name}`); return []; }
  if (!isIPv4(clusterIP)) { reject('spec.clusterIP', clusterIP); return []; }
  const external = type === 'NodePort' || type === 'LoadBalancer';
  const ingress = type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '') : [];
  const lbIPs = keep(ingress, 'status.loadBalancer.ingress', (ip) => ip === '' || isIPv4(ip), reject, '.ip').filter((ip) => ip !== '');
  const externalIPs = keep(spec.externalIPs ?? [], 'spec.externalIPs', isIPv4, reject);
  const affinity = spec.sessionAffinity === 'ClientIP';
  let timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800;
  if (affinity && !isAffinitySeconds(timeout)) { reject('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout); timeout = 10800; }
  const out: ServicePort[] = [];
  (spec.ports ?? []).forEach((port, i) => {
    const protocol = protocolOf(port.protocol);
    if (!protocol) return;
    if (port.name !== undefined && port.name !== '' && !isApiName(port.name)) { reject(`spec.ports[${i}].name`, port.name); return; }
    if (!isPort(port.port)) { reject(`spec.ports[${i}].port`, port.port); return; }
    const nodePort = external && port.nodePort ? port.nodePort : undefined;
    if (nodePort !== undefined && !isPort(nodePort)) reject(`spec.ports[${i}].nodePort`, nodePort);
    out.push({
      name: port.name ? `${ns}/${name}:${port.name}` : `${ns}/${name}`,
      clusterIP, port: port.port, protocol,
      ...(nodePort !== undefined && isPort(nodePort) ? { nodePort } : {}),
      endpoints: endpointsFor(port, protocol, slices, nodeName, reject),
      sessionAffinity: affinity ? 'ClientIP' : 'None',
      ...(affinity ? { affinityTimeoutSeconds: timeout } : {}),
      externalTrafficPolicy: external && spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
      loadBalancerIPs: lbIPs,
      externalIPs,
    });
  });
  return out;
}

interface Built { svc: Service; slices: readonly EndpointSlice[]; nodeName: string; ports: ServicePort[]; rejected: ReadonlySet<string> }

const sameItems = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * buildProxyState with a memory: a service whose object and EndpointSlice objects are the ones of
 * the previous build (an informer cache hands out the same objects until they change) keeps its
 * ServicePort objects, so the proxier and renderer recognise it as unchanged by identity.
 */
export class ProxyStateBuilder {
  private built = new Map<string, Built>();

  /** `log` hears of each value left out of the rules once (again only after it was gone). */
  constructor(private readonly o: { log?: Logger } = {}) {}

  build(input: ServiceStateInput): ProxyState {
    const slices = slicesByService(input.slices);
    const next = new Map<string, Built>();
    const servicePorts: ServicePort[] = [];
    for (const svc of input.services) {
      const key = `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
      const mine = slices.get(key) ?? [];
      const prev = this.built.get(key);
      let built: Built;
      if (prev && prev.svc === svc && prev.nodeName === input.nodeName && sameItems(prev.slices, mine)) built = prev;
      else {
        const rejected: Rejected[] = [];
        const ports = servicePortsOf(svc, mine, input.nodeName, (field, value) => { rejected.push({ field, value }); });
        built = { svc, slices: mine, nodeName: input.nodeName, ports, rejected: this.report(key, rejected, prev?.rejected) };
      }
      next.set(key, built);
      servicePorts.push(...built.ports);
    }
    this.built = next;
    return { servicePorts, nodeIPs: [...input.nodeIPs] };
  }

  /** Logs the rejections not reported for this service before; returns what is reported now. */
  private report(service: string, rejected: readonly Rejected[], before: ReadonlySet<string> = new Set()): ReadonlySet<string> {
    const now = new Set<string>();
    for (const { field, value } of rejected) {
      const id = `${field}\u0000${JSON.stringify(value)}`;
      if (!before.has(id) && !now.has(id)) this.o.log?.warn({ service, field, value }, 'Skipped a value that is not valid in rules');
      now.add(id);
    }
    return now;
  }
}

export function buildProxyState(input: ServiceStateInput): ProxyState {
  return new ProxyStateBuilder().build(input);
}
