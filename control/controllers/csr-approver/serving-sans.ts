/**
 * Which names a node may hold in its kubelet serving certificate without an admin looking: its own
 * name and the addresses its Node object reports (status.addresses: Hostname, InternalDNS and
 * ExternalDNS as DNS names, InternalIP and ExternalIP as IPs), as the node-address approvers
 * (OpenShift's machine approver, kubelet-csr-approver) check them. The names by which pods reach the
 * API server (kubernetes, kubernetes.default, kubernetes.default.svc[.<domain>], the `kubernetes`
 * Service's cluster IPs) are never a node's, whatever its status says.
 */
import { isIP } from 'node:net';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { ParsedCsr } from '../../pki/csr.js';

export interface ServingSanFacts {
  /** The requesting node's Node object; undefined while it is not registered. */
  node: Node | undefined;
  /** The cluster IPs of the `default/kubernetes` Service. */
  apiServerServiceIps: readonly string[];
}

const DNS_TYPES = new Set(['Hostname', 'InternalDNS', 'ExternalDNS']);
const IP_TYPES = new Set(['InternalIP', 'ExternalIP']);
const API_SERVER_NAME = /^kubernetes(\.default(\.svc(\..*)?)?)?\.?$/;

/** One spelling per address (IPv6 compressed and lower case); '' when it is not an IP. */
export function canonicalIp(ip: string): string {
  const v = isIP(ip);
  if (v === 4) return ip;
  if (v !== 6) return '';
  try { return new URL(`http://[${ip}]/`).hostname.slice(1, -1); } catch { return ''; } // isIP said v6: unreachable
}

/** Why the SANs of `req` are not all the node's own, or undefined when they are. Pure. */
export function servingSansError(req: ParsedCsr, nodeName: string, facts: ServingSanFacts): string | undefined {
  if (!facts.node) return `node "${nodeName}" is not registered`;
  const addresses = facts.node.status?.addresses ?? [];
  const dns = new Set([nodeName, ...addresses.filter((a) => DNS_TYPES.has(a.type)).map((a) => a.address.toLowerCase())]);
  const ips = new Set(addresses.filter((a) => IP_TYPES.has(a.type)).map((a) => canonicalIp(a.address)).filter((a) => a !== ''));
  const apiIps = new Set(facts.apiServerServiceIps.map(canonicalIp));
  for (const name of req.dnsNames) {
    const n = name.toLowerCase();
    if (API_SERVER_NAME.test(n)) return `DNS subjectAltName "${name}" is a name of the API server`;
    if (!dns.has(n)) return `DNS subjectAltName "${name}" is not an address of node "${nodeName}"`;
  }
  for (const ip of req.ipAddresses) {
    const c = canonicalIp(ip);
    if (c === '') return `IP subjectAltName "${ip}" is not an IP address`;
    if (apiIps.has(c)) return `IP subjectAltName "${ip}" is an address of the API server`;
    if (!ips.has(c)) return `IP subjectAltName "${ip}" is not an address of node "${nodeName}"`;
  }
  return undefined;
}
