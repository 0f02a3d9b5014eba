/**
 * A set of equal-size subnets carved from the cluster CIDR (upstream ipam/cidrset, IPv4): node
 * /24s by default. Allocation searches from the slot after the last one handed out and wraps, as
 * upstream does, so a freed subnet is reused once the others ahead of it are taken.
 */

import { formatIpv4, parseCidr, parseIpv4 } from '../../util/ipv4.js';

export interface CidrSetOptions { clusterCidr: string; nodeMaskSize?: number }

export class CidrSet {
  private readonly base: number;
  private readonly subnetSize: number;
  private readonly count: number;
  private readonly used = new Set<number>();
  private next = 0;
  readonly nodeMaskSize: number;

  constructor(o: CidrSetOptions) {
    const c = parseCidr(o.clusterCidr);
    if (!c) throw new Error(`parse cluster CIDR "${o.clusterCidr}": not an IPv4 CIDR`);
    this.nodeMaskSize = o.nodeMaskSize ?? 24;
    if (this.nodeMaskSize < c.prefix) throw new Error(`cluster CIDR ${o.clusterCidr}: mask size ${this.nodeMaskSize} is smaller than the cluster's /${c.prefix}`);
    this.base = c.base;
    this.subnetSize = 2 ** (32 - this.nodeMaskSize);
    this.count = 2 ** (this.nodeMaskSize - c.prefix);
  }

  get size(): number { return this.count; }
  get allocated(): number { return this.used.size; }

  /** The next free subnet, or undefined when the range is full. */
  allocateNext(): string | undefined {
    for (let i = 0; i < this.count; i++) {
      const slot = (this.next + i) % this.count;
      if (this.used.has(slot)) continue;
      this.used.add(slot);
      this.next = (slot + 1) % this.count;
      return this.format(slot);
    }
    return undefined;
  }

  /** Mark a subnet taken (a node that already has it). False when it is not one of ours. */
  occupy(cidr: string): boolean {
    const slot = this.slotOf(cidr);
    if (slot === undefined) return false;
    this.used.add(slot);
    return true;
  }

  /** Free a subnet. Idempotent. */
  release(cidr: string): void {
    const slot = this.slotOf(cidr);
    if (slot !== undefined) this.used.delete(slot);
  }

  private format(slot: number): string {
    return `${formatIpv4(this.base + slot * this.subnetSize)}/${this.nodeMaskSize}`;
  }

  private slotOf(cidr: string): number | undefined {
    const c = parseCidr(cidr);
    if (!c || c.prefix !== this.nodeMaskSize) return undefined;
    const off = c.base - this.base;
    if (off < 0 || off % this.subnetSize !== 0 || off / this.subnetSize >= this.count) return undefined;
    return off / this.subnetSize;
  }
}
