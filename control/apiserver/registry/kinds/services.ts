/**
 * Service strategy: ClusterIP and NodePort allocation on create; on update the inferred fields
 * (registry/service/type-fields.ts), then allocation for what the new type needs, and release of
 * what it dropped once the write is stored (or of what was taken when it is not); release on
 * delete or a failed create.
 */
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { invalid } from '../../../api/status.js';
import type { FieldError } from '../../../api/status.js';
import type { IpAllocator } from '../service/ip-allocator.js';
import type { PortAllocator } from '../service/port-allocator.js';
import { inferServiceUpdate, needsClusterIP, needsNodePorts } from '../service/type-fields.js';
import type { Strategy, StrategyContext } from '../strategy.js';

interface Taken { ips: string[]; ports: number[] }

/** What a spec holds from the allocators (ExternalName holds no IP; only NodePort/LoadBalancer hold ports). */
const heldIPs = (spec: ServiceSpec): string[] =>
  needsClusterIP(spec) ? (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip) => ip !== 'None') : [];
const heldPorts = (spec: ServiceSpec): number[] =>
  needsNodePorts(spec) ? (spec.ports ?? []).map((p) => p.nodePort).filter((n): n is number => !!n) : [];

export class ServiceStrategy implements Strategy {
  readonly tracksGeneration = false;
  /** What prepareForUpdate allocated for an object still to be written. */
  private readonly pending = new WeakMap<KubeObject, Taken>();
  constructor(readonly ips: IpAllocator, readonly ports: PortAllocator) {}

  /** Mark what stored Services hold (at start). */
  restore(services: readonly KubeObject[]): void {
    for (const s of services) {
      const spec = (s as Service).spec ?? {};
      for (const ip of heldIPs(spec)) this.ips.allocate(ip);
      for (const p of heldPorts(spec)) this.ports.allocate(p);
    }
  }

  prepareForCreate(obj: KubeObject, ctx: StrategyContext): void {
    const svc = obj as Service;
    const spec: ServiceSpec = (svc.spec ??= {});
    const errs: FieldError[] = [];
    const took: Taken = { ips: [], ports: [] };
    try {
      if (needsClusterIP(spec)) this.assignClusterIP(spec, errs, took);
      if (needsNodePorts(spec)) this.assignNodePorts(spec, [], errs, took);
    } finally {
      if (errs.length > 0) { this.releaseTaken(took); }
    }
    if (errs.length > 0) throw invalid('Service', ctx.ri, obj.metadata?.name ?? '', errs);
  }

  prepareForUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void {
    inferServiceUpdate(obj as Service, old as Service);
    const spec: ServiceSpec = ((obj as Service).spec ??= {});
    const prev = (old as Service).spec ?? {};
    const errs: FieldError[] = [];
    const took: Taken = { ips: [], ports: [] };
    if (needsClusterIP(spec) && !needsClusterIP(prev)) this.assignClusterIP(spec, errs, took);
    if (needsNodePorts(spec)) this.assignNodePorts(spec, heldPorts(prev), errs, took);
    if (errs.length > 0) {
      this.releaseTaken(took);
      throw invalid('Service', ctx.ri, obj.metadata?.name ?? '', errs);
    }
    this.pending.set(obj, took);
  }

  finishUpdate(obj: KubeObject, old: KubeObject, written: boolean): void {
    const took = this.pending.get(obj);
    this.pending.delete(obj);
    if (!written) { if (took) this.releaseTaken(took); return; }
    const next = (obj as Service).spec ?? {};
    const prev = (old as Service).spec ?? {};
    const keepIPs = new Set(heldIPs(next));
    for (const ip of heldIPs(prev)) if (!keepIPs.has(ip)) this.ips.release(ip);
    const keepPorts = new Set(heldPorts(next));
    for (const p of heldPorts(prev)) if (!keepPorts.has(p)) this.ports.release(p);
  }

  rollbackCreate(obj: KubeObject): void { this.afterDelete(obj); }

  afterDelete(obj: KubeObject): void {
    const spec = (obj as Service).spec ?? {};
    for (const ip of heldIPs(spec)) this.ips.release(ip);
    for (const p of heldPorts(spec)) this.ports.release(p);
  }

  private assignClusterIP(spec: ServiceSpec, errs: FieldError[], took: Taken): void {
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

  private assignNodePorts(spec: ServiceSpec, held: number[], errs: FieldError[], took: Taken): void {
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

  private releaseTaken(took: Taken): void {
    for (const ip of took.ips) this.ips.release(ip);
    for (const p of took.ports) this.ports.release(p);
  }
}
