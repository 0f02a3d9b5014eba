/**
 * The NodePort bitmap (upstream's registry/core/service/portallocator): in memory, rebuilt from the
 * stored Services at start; synchronous, like the ClusterIP allocator.
 */
import type { AllocError } from './alloc-error.js';

export class PortAllocator {
  private readonly used = new Set<number>();
  constructor(readonly min: number, readonly max: number) {}

  static parse(range: string): PortAllocator {
    const m = /^(\d+)-(\d+)$/.exec(range);
    if (!m || Number(m[1]) > Number(m[2])) throw new Error(`parse node port range: "${range}" is not like 30000-32767`);
    return new PortAllocator(Number(m[1]), Number(m[2]));
  }

  get rangeText(): string { return `${this.min}-${this.max}`; }

  allocate(port: number): AllocError | undefined {
    if (port < this.min || port > this.max) return 'NotInRange';
    if (this.used.has(port)) return 'Allocated';
    this.used.add(port);
    return undefined;
  }

  allocateNext(): number | undefined {
    const span = this.max - this.min + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const p = this.min + ((start + i) % span);
      if (!this.used.has(p)) { this.used.add(p); return p; }
    }
    return undefined;
  }

  release(port: number): void { this.used.delete(port); }
}
