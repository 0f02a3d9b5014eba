/**
 * Where a pods/proxy, services/proxy or nodes/proxy request goes: upstream's ResourceLocation of
 * the pod, service and node strategies. The `{[scheme:]name[:port]}` segment is read as
 * upstream's SplitSchemeNamePort reads it; only addresses stored in the API (pod IP, endpoint IP,
 * node address) are ever targets, and those that are not proxyable (upstream IsProxyableIP:
 * loopback, link-local) are refused.
 */
import type { Endpoints, Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import { isIPv4, parseIpv4 } from '../../../lib/net/ipv4.js';
import { findResource } from '../../api/resources.js';
import { badRequest, serviceUnavailable } from '../../api/status.js';
import { kubeletEndpoint } from './stream-target.js';
import type { ObjectGetter } from './stream-target.js';

export type ProxyResource = 'pods' | 'services' | 'nodes';
export const isProxyResource = (r: string): r is ProxyResource => r === 'pods' || r === 'services' || r === 'nodes';

export interface ProxyTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** The node agent's own port: spoken to with the API server's kubelet client certificate. */
  kubelet: boolean;
}

/** Whether a (strict IPv4) address may be proxied to; the production default refuses loopback and link-local. */
export type ProxyableAddress = (ip: string) => boolean;

const inPrefix = (n: number, base: number, bits: number): boolean => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits));

/** PURE. upstream isProxyableIP for IPv4: strict dotted-quad, not 0/8, 127/8, 169.254/16, 224.0.0/24. */
export function isProxyableIPv4(ip: string): boolean {
  const n = parseIpv4(ip);
  if (n === undefined) return false;
  return !inPrefix(n, 0, 8) && !inPrefix(n, 127 * 2 ** 24, 8) && !inPrefix(n, parseIpv4('169.254.0.0')!, 16) && !inPrefix(n, parseIpv4('224.0.0.0')!, 24);
}

/** PURE. upstream SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port` (scheme http or https). */
export function splitSchemeNamePort(id: string): { scheme: '' | 'http' | 'https'; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name: string;
  let port = '';
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else return undefined;
  if (name === '' || (scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { scheme: scheme as '' | 'http' | 'https', name, port };
}

const PODS = findResource('', 'v1', 'pods')!;
const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;
const NODES = findResource('', 'v1', 'nodes')!;

function portNumber(port: string, what: string): number {
  const n = /^[1-9]\d{0,4}$/.test(port) ? Number(port) : NaN;
  if (!(n <= 65535)) throw badRequest(`invalid ${what} request: port "${port}" is not a number`);
  return n;
}

function checked(ip: string, proxyable: ProxyableAddress): string {
  if (!isIPv4(ip) || !proxyable(ip)) throw badRequest('address not allowed');
  return ip;
}

/** The proxy target of `id` (the path's name segment) for `resource`; ApiErrors as upstream's ResourceLocation answers. */
export async function resolveProxyTarget(
  objects: ObjectGetter, resource: ProxyResource, namespace: string | undefined, id: string, proxyable: ProxyableAddress,
): Promise<ProxyTarget> {
  const what = resource.slice(0, -1);
  const split = splitSchemeNamePort(id);
  if (!split) throw badRequest(`invalid ${what} request "${id}"`);
  const { name } = split;
  const scheme = split.scheme || 'http';
  if (resource === 'pods') {
    const pod = await objects.get(PODS, namespace, name) as Pod;
    let port = split.port;
    if (port === '') port = String(pod.spec?.containers.find((c) => (c.ports ?? []).length > 0)?.ports?.[0]?.containerPort ?? '');
    const host = checked(pod.status?.podIP ?? '', proxyable);
    return { scheme, host, port: port === '' ? (scheme === 'https' ? 443 : 80) : portNumber(port, what), kubelet: false };
  }
  if (resource === 'services') return serviceTarget(objects, namespace, id, split, proxyable);
  const node = await objects.get(NODES, undefined, name) as Node;
  const kubelet = kubeletEndpoint(node);
  const host = checked(kubelet.host, proxyable);
  if (split.port === '' || split.port === String(kubelet.port)) return { scheme: 'https', host, port: kubelet.port, kubelet: true };
  return { scheme, host, port: portNumber(split.port, what), kubelet: false };
}

async function serviceTarget(
  objects: ObjectGetter, namespace: string | undefined, id: string, split: { scheme: string; name: string; port: string }, proxyable: ProxyableAddress,
): Promise<ProxyTarget> {
  const { name } = split;
  let portName = split.port;
  if (/^\d+$/.test(portName)) {
    // a port number names the service port that declares it (upstream: then matched by name)
    const svc = await objects.get(SERVICES, namespace, name) as Service;
    const declared = (svc.spec?.ports ?? []).find((p) => p.port === Number(portName));
    if (!declared) throw serviceUnavailable(`no service port ${portName} found for service "${name}"`);
    portName = declared.name ?? '';
  }
  const eps = await objects.get(ENDPOINTS, namespace, name) as Endpoints;
  const subsets = eps.subsets ?? [];
  if (subsets.length === 0) throw serviceUnavailable(`no endpoints available for service "${name}"`);
  const start = Math.floor(Math.random() * subsets.length);
  for (let i = 0; i < subsets.length; i++) {
    const ss = subsets[(start + i) % subsets.length]!;
    const port = (ss.ports ?? []).find((p) => (p.name ?? '') === portName);
    const addrs = (ss.addresses ?? []).filter((a) => isIPv4(a.ip) && proxyable(a.ip));
    if (!port || addrs.length === 0) continue;
    const addr = addrs[Math.floor(Math.random() * addrs.length)]!;
    return { scheme: split.scheme === 'https' ? 'https' : 'http', host: addr.ip, port: port.port, kubelet: false };
  }
  throw serviceUnavailable(`no endpoints available for service "${id}"`);
}
