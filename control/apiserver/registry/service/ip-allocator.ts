/**
 * The ClusterIP bitmap (upstream's registry/core/service/ipallocator): in memory, rebuilt from the
 * stored Services at start. Allocation is synchronous, so concurrent creates in one process never
 * get the same address.
 */
import { formatIpv4, parseCidr, parseIpv4 } from '../../../util/ipv4.js';
import type { AllocError } from './alloc-error.js';

export function ipToInt(ip: string): number {
  const n = parseIpv4(ip);
  if (n === undefined) throw new Error(`parse ip: "${ip}" is not an IPv4 address`);
  return n;
}

export const intToIp = formatIpv4;

/** A service range: a usable IPv4 CIDR between /8 and /30. */
export function parseServiceCidr(cidr: string): { base: number; size: number } {
  const c = parseCidr(cidr);
  if (!c || c.prefix < 8 || c.prefix > 30) throw new Error(`parse cidr: "${cidr}" is not a usable IPv4 CIDR`);
  return { base: c.base, size: c.size };
}

export class IpAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  private next = 1;
  constructor(readonly cidr: string) { ({ base: this.base, size: this.size } = parseServiceCidr(cidr)); }

  /** The n-th address of the range (1 = the `kubernetes` service, 10 = DNS). */
  nth(n: number): string { return intToIp(this.base + n); }

  contains(ip: string): boolean {
    let n: number;
    try { n = ipToInt(ip); } catch { return false; } // not an address at all: not ours
    return n > this.base && n < this.base + this.size - 1;
  }

  allocate(ip: string): AllocError | undefined {
    if (!this.contains(ip)) return 'NotInRange';
    const n = ipToInt(ip) - this.base;
    if (this.used.has(n)) return 'Allocated';
    this.used.add(n);
    return undefined;
  }

  allocateNext(): string | undefined {
    const usable = this.size - 2;
    for (let i = 0; i < usable; i++) {
      const n = ((this.next - 1 + i) % usable) + 1;
      // keep .1 .. .10 for well-known services unless asked for by address
      if (n <= 10 && usable > 20) continue;
      if (!this.used.has(n)) { this.used.add(n); this.next = n + 1; return intToIp(this.base + n); }
    }
    return undefined;
  }

  release(ip: string): void {
    if (this.contains(ip)) this.used.delete(ipToInt(ip) - this.base);
  }
}
