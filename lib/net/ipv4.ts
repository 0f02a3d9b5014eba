/**
 * The one strict IPv4 grammar every part uses (API validation, allocators, IPAM, netproxy rules,
 * routes, CNI config): dotted-quad only, exactly four decimal octets 0-255 without leading zeros,
 * no whitespace, no other spelling (no "0x1", no "1.2.3", no "::ffff:1.2.3.4"). CIDRs are such an
 * address, "/", and a prefix length 0-32 written the same way. Values that reach the kernel are
 * parsed here where they are used, so a value that slipped into a store is skipped, never executed.
 */

const OCTET = /^(0|[1-9]\d{0,2})$/;
const PREFIX = /^(0|[1-9]\d?)$/;

/** The address as an unsigned 32-bit number, or undefined when it is not strict dotted-quad IPv4. */
export function parseIpv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function isIPv4(s: string): boolean { return parseIpv4(s) !== undefined; }

export interface Ipv4Cidr {
  /** The address as written (host bits may be set). */
  addr: number;
  /** Network base (host bits cleared). */
  base: number;
  prefix: number;
  size: number;
}

/** A strict IPv4 CIDR; undefined otherwise. Host bits may be set ("10.0.0.5/24"), as upstream's parser allows. */
export function parseCidr(cidr: string): Ipv4Cidr | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIpv4(cidr.slice(0, slash));
  const len = cidr.slice(slash + 1);
  if (addr === undefined || !PREFIX.test(len)) return undefined;
  const prefix = Number(len);
  if (prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { addr, base: addr - (addr % size), prefix, size };
}

export function isIPv4Cidr(s: string): boolean { return parseCidr(s) !== undefined; }

/** A strict IPv4 CIDR in network form: no host bits set ("10.244.1.0/24", not "10.244.1.5/24"). */
export function isIPv4Network(s: string): boolean {
  const c = parseCidr(s);
  return c !== undefined && c.addr === c.base;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
