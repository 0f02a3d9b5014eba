/** The FakeRuntime's pod sandboxes: in memory, an IP each from a counter, released on stop. */
import { CriError } from '../errors.js';
import type { PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus } from '../types.js';

export interface FakeSandbox { s: PodSandboxStatus; config: PodSandboxConfig }

export const nowNs = (): number => Date.now() * 1e6;

export function matchesLabels(labels: Record<string, string>, sel?: Record<string, string>): boolean {
  return Object.entries(sel ?? {}).every(([k, v]) => labels[k] === v);
}

export class FakeSandboxes {
  readonly map = new Map<string, FakeSandbox>();
  private readonly usedIps = new Set<number>();

  /** `ipPrefix`: the first three octets of pod IPs. */
  constructor(private readonly ipPrefix: string) {}

  add(id: string, config: PodSandboxConfig): void {
    let n = 2;
    while (this.usedIps.has(n)) n++;
    this.usedIps.add(n);
    this.map.set(id, {
      config,
      s: { id, metadata: { ...config.metadata }, state: 'SANDBOX_READY', createdAt: nowNs(), labels: { ...(config.labels ?? {}) },
        annotations: { ...(config.annotations ?? {}) }, network: { ip: this.ip(n) } },
    });
  }

  /** NOTREADY, IP released. */
  stop(sb: FakeSandbox): void {
    sb.s.state = 'SANDBOX_NOTREADY';
    const ip = sb.s.network?.ip;
    if (!ip) return;
    this.usedIps.delete(Number(ip.split('.').pop()));
    sb.s.network = { ip: '' };
  }

  mustGet(id: string, what: string): FakeSandbox {
    const sb = this.map.get(id);
    if (!sb) throw new CriError('NotFound', `${what}: pod sandbox ${id} not found`);
    return sb;
  }

  list(filter: PodSandboxFilter): PodSandbox[] {
    return [...this.map.values()].map((x) => x.s)
      .filter((s) => (!filter.id || s.id === filter.id) && (!filter.state || s.state === filter.state) && matchesLabels(s.labels, filter.labelSelector))
      .map(({ network: _network, ...rest }) => structuredClone(rest));
  }

  allocatedIps(): string[] { return [...this.usedIps].sort((a, b) => a - b).map((n) => this.ip(n)); }

  private ip(n: number): string { return `${this.ipPrefix}.${n}`; }
}
