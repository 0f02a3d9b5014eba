/**
 * Subject alternative names: which hosts a serving certificate must carry,
 * and whether an existing certificate still covers them.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { PkiError } from './types.js';

/** kubeadm's default first service IP (service CIDR 10.96.0.0/12). */
export const DEFAULT_SERVICE_IP = '10.96.0.1';
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

export interface ApiServerHostsOptions {
  /** Extra IPs and DNS names (node IPs, public names). */
  hosts: readonly string[];
  /** First IP of the service CIDR, the ClusterIP of the `kubernetes` Service. Default 10.96.0.1. */
  serviceIP?: string;
  /** Default cluster.local. */
  clusterDomain?: string;
}

/**
 * The SANs of the API server's serving certificate: 127.0.0.1, localhost, the
 * `kubernetes` Service names, the first service IP, then `hosts`, deduplicated.
 */
export function apiServerHosts(opts: ApiServerHostsOptions): string[] {
  const domain = opts.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  return normalizeHosts([
    '127.0.0.1',
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${domain}`,
    opts.serviceIP ?? DEFAULT_SERVICE_IP,
    ...opts.hosts,
  ]);
}

const DNS_NAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Trims, lowercases DNS names, strips IPv6 brackets, drops duplicates; throws PkiError('InvalidHost'). */
export function normalizeHosts(hosts: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of hosts) {
    let h = raw.trim();
    if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
    if (isIP(h) === 0) {
      h = h.toLowerCase().replace(/\.$/, '');
      if (!DNS_NAME.test(h) || h.length > 253) {
        throw new PkiError('InvalidHost', `invalid host "${raw}": not an IP address or DNS name`);
      }
    }
    if (!out.includes(h)) out.push(h);
  }
  return out;
}

/** Splits hosts into @peculiar/x509 general names (ip / dns). */
export function toGeneralNames(hosts: readonly string[]): { type: 'ip' | 'dns'; value: string }[] {
  return normalizeHosts(hosts).map((h) => ({ type: isIP(h) === 0 ? 'dns' : 'ip', value: h }));
}

/** DNS names in a certificate's subjectAltName, lowercased. */
function sanDnsNames(cert: X509Certificate): Set<string> {
  const names = new Set<string>();
  for (const entry of (cert.subjectAltName ?? '').split(', ')) {
    if (entry.startsWith('DNS:')) names.add(entry.slice(4).toLowerCase());
  }
  return names;
}

/** True when every host is literally among the certificate's SANs (IPs compared as addresses). */
export function certCoversHosts(certPem: string, hosts: readonly string[]): boolean {
  const cert = new X509Certificate(certPem);
  const dns = sanDnsNames(cert);
  return normalizeHosts(hosts).every((h) => (isIP(h) === 0 ? dns.has(h) : cert.checkIP(h) !== undefined));
}
