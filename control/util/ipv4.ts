/**
 * IPv4 addresses and CIDRs as numbers for the control plane and the node side (allocators, IPAM,
 * node networking). The grammar is lib/net/ipv4.ts's, the one strict parser of the project.
 */
import { formatIpv4, parseCidr } from '../../lib/net/ipv4.js';

export { formatIpv4, isIPv4, isIPv4Cidr, isIPv4Network, parseCidr, parseIpv4 } from '../../lib/net/ipv4.js';

/** The n-th address of a CIDR (1 = the first host; the DNS service is the 10th of the service CIDR). */
export function nthAddress(cidr: string, n: number): string {
  const c = parseCidr(cidr);
  if (!c) throw new Error(`parse cidr: "${cidr}" is not an IPv4 CIDR`);
  return formatIpv4(c.base + n);
}

/** "10.244.1.0/24" → "10.244.1.1/24" (the pod bridge's gateway address with its prefix). */
export function gatewayCidr(cidr: string): string {
  const c = parseCidr(cidr);
  if (!c) throw new Error(`parse cidr: "${cidr}" is not an IPv4 CIDR`);
  return `${formatIpv4(c.base + 1)}/${c.prefix}`;
}
