/**
 * PURE. Answers one question about the cluster zone from a DnsView (the Kubernetes DNS spec,
 * CoreDNS's `kubernetes` plugin behaviour): ClusterIP → A; headless → A of each ready endpoint
 * (NXDOMAIN when none); ExternalName → CNAME; SRV for named ports (ClusterIP: one record to the
 * service name; headless: one per ready endpoint); pod names; PTR for ClusterIPs and headless
 * endpoints. A name that exists but lacks the type is NOERROR with no answers (NODATA); negative
 * answers carry the zone's SOA. Names outside the zone (and unknown reverse names) are `outside`:
 * the caller forwards them or answers SERVFAIL. An A/AAAA question for an ExternalName follows its
 * CNAME chain inside the zone and appends the target's records (as CoreDNS does: stub resolvers
 * never chase a CNAME themselves); a chain that leaves the zone ends in `cnameTarget` for the caller
 * to resolve upstream.
 */
import type { Answer, Question } from 'dns-packet';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isIPv4 } from '../../control/util/ipv4.js';
import type { DnsView } from './dns-view.js';
import { dashed, normalizeName, parseClusterName } from './names.js';

export const DNS_TTL = 5;
/** CNAMEs followed inside the zone for one question (ExternalName → ExternalName → …). */
export const MAX_CNAME_CHAIN = 8;

export type Resolution =
  | { outcome: 'outside' }
  | {
    outcome: 'answer'; rcode: 'NOERROR' | 'NXDOMAIN'; answers: Answer[]; additionals: Answer[]; authorities: Answer[];
    /** The CNAME chain in `answers` ends at this name outside the zone (its records are not included). */
    cnameTarget?: string;
  };

type Answered = Extract<Resolution, { outcome: 'answer' }>;

interface Ep { ip: string; host: string; port?: number }

export function resolveQuestion(view: DnsView, q: Question, zone: string, chained = 0): Resolution {
  const z = normalizeName(zone);
  const n = parseClusterName(q.name, z);
  const type = q.type;
  const ok = (answers: Answer[], additionals: Answer[] = []): Answered =>
    ({ outcome: 'answer', rcode: 'NOERROR', answers, additionals, authorities: answers.length ? [] : [soa(z)] });
  const nx: Resolution = { outcome: 'answer', rcode: 'NXDOMAIN', answers: [], additionals: [], authorities: [soa(z)] };
  const a = (ip: string): Answer => ({ type: 'A', name: q.name, ttl: DNS_TTL, class: 'IN', data: ip });
  const aOnly = (ips: string[]) => ok(type === 'A' || (type as string) === 'ANY' ? ips.map(a) : []);

  switch (n.kind) {
    case 'outside': return { outcome: 'outside' };
    case 'unknown': return nx;
    case 'apex':
      if (n.zoneApex && type === 'SOA') return ok([{ ...soa(z), name: q.name }]);
      if (n.zoneApex && type === 'NS') return ok([{ type: 'NS', name: q.name, ttl: DNS_TTL, class: 'IN', data: `ns.dns.${z}` }]);
      return ok([]);
    case 'namespace': return view.hasNamespace(n.ns) ? ok([]) : nx;
    case 'pod': return aOnly([n.ip]);
    case 'reverse': {
      const names = ptrNames(view, n.ip, z);
      if (!names.length) return { outcome: 'outside' };
      return ok(type === 'PTR' ? names.map((data) => ({ type: 'PTR', name: q.name, ttl: DNS_TTL, class: 'IN', data })) : []);
    }
    default: break;
  }
  const svc = view.service(n.ns, n.svc);
  if (!svc) return nx;
  const svcName = `${n.svc}.${n.ns}.svc.${z}`;
  const external = svc.spec?.type === 'ExternalName' ? svc.spec.externalName : undefined;
  const headless = svc.spec?.clusterIP === 'None';
  if (n.kind === 'service') {
    if (external) {
      const cname: Answer = { type: 'CNAME', name: q.name, ttl: DNS_TTL, class: 'IN', data: normalizeName(external) };
      if (type === 'CNAME') return ok([cname]);
      return type === 'A' || type === 'AAAA' ? follow(cname, normalizeName(external)) : ok([]);
    }
    if (!headless) {
      if (type === 'SRV') return srvAnswers(q.name, svc.spec?.ports ?? [], [], svcName, clusterIPs(svc));
      return aOnly(clusterIPs(svc));
    }
    const eps = readyEndpoints(view.slices(n.ns, n.svc), undefined, undefined);
    if (!eps.length) return nx;
    if (type === 'SRV') return srvAnswers(q.name, [], readyPorted(view, n.ns, n.svc), svcName, []);
    return aOnly([...new Set(eps.map((e) => e.ip))]);
  }
  if (n.kind === 'endpoint') {
    if (!headless) return nx;
    const ips = readyEndpoints(view.slices(n.ns, n.svc), undefined, undefined).filter((e) => e.host === n.host).map((e) => e.ip);
    return ips.length ? aOnly([...new Set(ips)]) : nx;
  }
  // _port._proto SRV
  const proto = n.proto.toUpperCase();
  if (external) return nx;
  if (!headless) {
    const ports = (svc.spec?.ports ?? []).filter((p) => (p.name ?? '').toLowerCase() === n.port && (p.protocol ?? 'TCP') === proto);
    if (!ports.length) return nx;
    return type === 'SRV' ? srvAnswers(q.name, ports, [], svcName, clusterIPs(svc)) : ok([]);
  }
  const eps = readyEndpoints(view.slices(n.ns, n.svc), n.port, proto);
  if (!eps.length) return nx;
  return type === 'SRV' ? srvAnswers(q.name, [], eps, svcName, []) : ok([]);

  /** The CNAME, then what its target answers inside the zone (NXDOMAIN/NODATA there: the CNAME alone). */
  function follow(cname: Answer, target: string): Resolution {
    if (chained + 1 >= MAX_CNAME_CHAIN) return ok([cname]);
    const next = resolveQuestion(view, { name: target, type, class: 'IN' }, zone, chained + 1);
    if (next.outcome === 'outside') return { ...ok([cname]), cnameTarget: target };
    if (next.rcode !== 'NOERROR' || next.answers.length === 0) return ok([cname]);
    return { ...ok([cname, ...next.answers], next.additionals), ...(next.cnameTarget ? { cnameTarget: next.cnameTarget } : {}) };
  }

  function srvAnswers(name: string, ports: NonNullable<NonNullable<Service['spec']>['ports']>, eps: Ep[], target: string, ips: string[]): Resolution {
    const answers: Answer[] = [];
    const additionals: Answer[] = [];
    const total = ports.length + eps.length;
    const weight = total ? Math.max(1, Math.floor(100 / total)) : 100;
    for (const p of ports) answers.push({ type: 'SRV', name, ttl: DNS_TTL, class: 'IN', data: { priority: 0, weight, port: p.port, target } });
    if (ports.length) for (const ip of ips) additionals.push({ type: 'A', name: target, ttl: DNS_TTL, class: 'IN', data: ip });
    const seen = new Set<string>();
    for (const e of eps) {
      const host = `${e.host}.${target}`;
      answers.push({ type: 'SRV', name, ttl: DNS_TTL, class: 'IN', data: { priority: 0, weight, port: e.port ?? 0, target: host } });
      if (!seen.has(host + e.ip)) { seen.add(host + e.ip); additionals.push({ type: 'A', name: host, ttl: DNS_TTL, class: 'IN', data: e.ip }); }
    }
    return ok(answers, additionals);
  }
}

function clusterIPs(svc: Service): string[] {
  return [...new Set([svc.spec?.clusterIP, ...(svc.spec?.clusterIPs ?? [])].filter((x): x is string => !!x && isIPv4(x)))];
}

/** Ready IPv4 endpoints; with `portName`, one entry per endpoint carrying that port. */
function readyEndpoints(slices: readonly EndpointSlice[], portName: string | undefined, proto: string | undefined): Ep[] {
  const out: Ep[] = [];
  for (const s of slices) {
    if (s.addressType !== 'IPv4') continue;
    const port = portName === undefined ? undefined
      : (s.ports ?? []).find((p) => (p.name ?? '').toLowerCase() === portName && (p.protocol ?? 'TCP') === proto)?.port;
    if (portName !== undefined && port === undefined) continue;
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const ip of e.addresses) if (isIPv4(ip)) out.push({ ip, host: e.hostname ?? dashed(ip), ...(port === undefined ? {} : { port }) });
    }
  }
  return out;
}

/** Every ready endpoint × every port of its slice (SRV for the bare headless service name). */
function readyPorted(view: DnsView, ns: string, svc: string): Ep[] {
  const out: Ep[] = [];
  for (const s of view.slices(ns, svc)) {
    for (const p of s.ports ?? []) {
      for (const e of readyEndpoints([{ ...s, ports: [p] }], (p.name ?? '').toLowerCase(), p.protocol ?? 'TCP')) out.push(e);
    }
  }
  return out;
}

function ptrNames(view: DnsView, ip: string, z: string): string[] {
  const names = new Set<string>();
  for (const s of view.servicesByIP(ip)) names.add(`${s.metadata?.name ?? ''}.${s.metadata?.namespace ?? ''}.svc.${z}`);
  for (const sl of view.slicesByIP(ip)) {
    const svc = sl.metadata?.labels?.['kubernetes.io/service-name'];
    if (!svc || view.service(sl.metadata?.namespace ?? '', svc)?.spec?.clusterIP !== 'None') continue;
    for (const e of sl.endpoints ?? []) {
      if (e.addresses.includes(ip)) names.add(`${e.hostname ?? dashed(ip)}.${svc}.${sl.metadata?.namespace ?? ''}.svc.${z}`);
    }
  }
  return [...names];
}

function soa(z: string): Answer {
  return {
    type: 'SOA', name: z, ttl: DNS_TTL, class: 'IN',
    data: { mname: `ns.dns.${z}`, rname: `hostmaster.${z}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: DNS_TTL },
  };
}
