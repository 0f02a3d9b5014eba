/**
 * Service strategy: ClusterIP and NodePort allocation on create, carrying allocated values over on
 * update (upstream patchAllocatedValues), release on delete or a failed write.
 */
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { invalid } from '../../../api/status.js';
import type { FieldError } from '../../../api/status.js';
import type { IpAllocator } from '../service/ip-allocator.js';
import type { PortAllocator } from '../service/port-allocator.js';
import type { Strategy, StrategyContext } from '../strategy.js';

const needsNodePorts = (spec: ServiceSpec): boolean => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
const needsClusterIP = (spec: ServiceSpec): boolean => spec.type !== 'ExternalName';

export class ServiceStrategy implements Strategy {
  readonly tracksGeneration = false;
  constructor(readonly ips: IpAllocator, readonly ports: PortAllocator) {}

  /** Mark what stored Services hold (at start). */
  restore(services: readonly KubeObject[]): void {
    for (const s of services) {
      const spec = (s as Service).spec ?? {};
      for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (ip !== 'None') this.ips.allocate(ip);
      for (const p of spec.ports ?? []) if (p.nodePort) this.ports.allocate(p.nodePort);
    }
  }

  prepareForCreate(obj: KubeObject, ctx: StrategyContext): void {
    const svc = obj as Service;
    const spec: ServiceSpec = (svc.spec ??= {});
    const errs: FieldError[] = [];
    const took: { ips: string[]; ports: number[] } = { ips: [], ports: [] };
    try {
      if (needsClusterIP(spec)) this.assignClusterIP(spec, errs, took);
      if (needsNodePorts(spec)) this.assignNodePorts(spec, [], errs, took);
    } finally {
      if (errs.length > 0) { this.releaseTaken(took); }
    }
    if (errs.length > 0) throw invalid('Service', ctx.ri, obj.metadata?.name ?? '', errs);
  }

  prepareForUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void {
    const spec: ServiceSpec = ((obj as Service).spec ??= {});
    const prev = (old as Service).spec ?? {};
    if (needsClusterIP(spec) && needsClusterIP(prev)) {
      if (!spec.clusterIP) spec.clusterIP = prev.clusterIP;
      if (!spec.clusterIPs || spec.clusterIPs.length === 0) spec.clusterIPs = prev.clusterIPs;
    }
    const errs: FieldError[] = [];
    const took: { ips: string[]; ports: number[] } = { ips: [], ports: [] };
    if (needsClusterIP(spec) && !needsClusterIP(prev)) this.assignClusterIP(spec, errs, took);
    if (needsNodePorts(spec)) {
      // keep the node ports already held by the same port (matched by port number + protocol)
      for (const p of spec.ports ?? []) {
        if (p.nodePort) continue;
        const same = (prev.ports ?? []).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
        if (same?.nodePort) p.nodePort = same.nodePort;
      }
      const held = needsNodePorts(prev) ? (prev.ports ?? []).map((p) => p.nodePort).filter((n): n is number => !!n) : [];
      this.assignNodePorts(spec, held, errs, took);
    } else {
      // upstream dropTypeDependentFields: what only NodePort/LoadBalancer services carry
      for (const p of spec.ports ?? []) delete p.nodePort;
      if (needsNodePorts(prev)) delete spec.externalTrafficPolicy;
    }
    if (errs.length > 0) {
      this.releaseTaken(took);
      throw invalid('Service', ctx.ri, obj.metadata?.name ?? '', errs);
    }
    if (!ctx.dryRun) this.releaseDropped(prev, spec);
  }

  rollbackCreate(obj: KubeObject): void { this.afterDelete(obj); }

  afterDelete(obj: KubeObject): void {
    const spec = (obj as Service).spec ?? {};
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) this.ips.release(ip);
    for (const p of spec.ports ?? []) if (p.nodePort) this.ports.release(p.nodePort);
  }

  private assignClusterIP(spec: ServiceSpec, errs: FieldError[], took: { ips: string[] }): void {
    const want = spec.clusterIP ?? spec.clusterIPs?.[0];
    if (want === 'None') { spec.clusterIP = 'None'; spec.clusterIPs = ['None']; return; }
    if (want) {
      const err = this.ips.allocate(want);
      if (err) {
        const why = err === 'Allocated' ? 'provided IP is already allocated'
          : `the provided IP (${want}) is not in the valid range. The range of valid IPs is ${this.ips.cidr}`;
        errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: ["${want}"]: failed to allocate IP ${want}: ${why}` });
        return;
      }
      took.ips.push(want);
    } else {
      const ip = this.ips.allocateNext();
      if (!ip) { errs.push({ type: 'InternalError', field: 'spec.clusterIPs', message: 'Internal error: failed to allocate a serviceIP: range is full' }); return; }
      took.ips.push(ip);
      spec.clusterIP = ip;
    }
    spec.clusterIP = spec.clusterIP ?? want;
    spec.clusterIPs = [spec.clusterIP as string];
  }

  private assignNodePorts(spec: ServiceSpec, held: number[], errs: FieldError[], took: { ports: number[] }): void {
    const ports: ServicePort[] = spec.ports ?? [];
    ports.forEach((p, i) => {
      if (p.nodePort) {
        if (held.includes(p.nodePort)) return;
        const err = this.ports.allocate(p.nodePort);
        if (err) {
          const why = err === 'Allocated' ? 'provided port is already allocated'
            : `provided port is not in the valid range. The range of valid ports is ${this.ports.rangeText}`;
          errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${p.nodePort}: ${why}` });
          return;
        }
        took.ports.push(p.nodePort);
        return;
      }
      const n = this.ports.allocateNext();
      if (n === undefined) { errs.push({ type: 'InternalError', field: `spec.ports[${i}].nodePort`, message: 'Internal error: failed to allocate a nodePort: range is full' }); return; }
      took.ports.push(n);
      p.nodePort = n;
    });
  }

  private releaseTaken(took: { ips?: string[]; ports?: number[] }): void {
    for (const ip of took.ips ?? []) this.ips.release(ip);
    for (const p of took.ports ?? []) this.ports.release(p);
  }

  private releaseDropped(prev: ServiceSpec, next: ServiceSpec): void {
    const keepIps = new Set(next.clusterIPs ?? []);
    for (const ip of prev.clusterIPs ?? []) if (!keepIps.has(ip)) this.ips.release(ip);
    const keepPorts = new Set((next.ports ?? []).map((p) => p.nodePort));
    for (const p of prev.ports ?? []) if (p.nodePort && !keepPorts.has(p.nodePort)) this.ports.release(p.nodePort);
  }
}
