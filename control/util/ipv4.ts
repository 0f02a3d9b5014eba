/** IPv4 addresses and CIDRs as numbers (one implementation for allocators, IPAM and node networking). */

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

export function isIPv4(s: string): boolean { return IPV4.test(s); }

export function isIPv4Cidr(s: string): boolean {
  const [ip, len, extra] = s.split('/');
  return extra === undefined && ip !== undefined && isIPv4(ip) && len !== undefined && /^\d{1,2}$/.test(len) && Number(len) <= 32;
}

/** The address as an unsigned 32-bit number, or undefined when it is not dotted-quad IPv4. */
export function parseIpv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Network base (host bits cleared), prefix length and size; undefined when not an IPv4 CIDR. */
export function parseCidr(cidr: string): { base: number; prefix: number; size: number } | undefined {
  const [ip, len] = cidr.split('/');
  const prefix = Number(len);
  const addr = ip === undefined ? undefined : parseIpv4(ip);
  if (addr === undefined || len === undefined || len === '' || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: addr - (addr % size), prefix, size };
}

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
