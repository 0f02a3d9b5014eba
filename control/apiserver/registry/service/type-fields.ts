/**
 * PURE. How an updated Service's inter-related fields are inferred from the stored one before
 * validation and allocation (upstream's service registry: patchAllocatedValues, normalizeClusterIPs
 * and dropTypeDependentFields, applied in that order):
 *   - a client that omits allocated values (clusterIP(s), nodePorts) keeps them while the type
 *     still needs them;
 *   - clusterIP and clusterIPs move together when a client sets or clears only the singular one;
 *   - switching to a type that no longer needs a field wipes it when the client left it as it was
 *     (ExternalName: clusterIP(s), ipFamilies, ipFamilyPolicy; ClusterIP/ExternalName: nodePorts;
 *     not externally reachable: externalTrafficPolicy; not LoadBalancer: its status and options).
 * A field the client changed in the same update is left for validation to judge.
 */
import type { Service, ServiceSpec, ServiceStatus } from 'kubernetes-types/core/v1.js';

export const needsClusterIP = (spec: ServiceSpec): boolean => spec.type !== 'ExternalName';
export const needsNodePorts = (spec: ServiceSpec): boolean => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
const externallyAccessible = (spec: ServiceSpec): boolean =>
  needsNodePorts(spec) || (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);

/** All three steps, in upstream's order; `next` is changed in place. */
export function inferServiceUpdate(next: Service, prev: Service): void {
  const spec = (next.spec ??= {});
  const old = prev.spec ?? {};
  if (spec.clusterIP === '') delete spec.clusterIP; // Go's zero value: the same as unset
  patchAllocatedValues(spec, old);
  normalizeClusterIPs(spec, old);
  dropTypeDependentFields(next, prev);
}

/** Carry over what was allocated when the client did not say (idempotent replace/apply). */
export function patchAllocatedValues(spec: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP && old.clusterIP) spec.clusterIP = old.clusterIP;
    if ((spec.clusterIPs ?? []).length === 0 && (old.clusterIPs ?? []).length > 0) spec.clusterIPs = [...(old.clusterIPs ?? [])];
  }
  if (needsNodePorts(old) && needsNodePorts(spec)) {
    // ports are matched by name; a nodePort the new spec already uses is not handed out twice
    const inNew = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((n): n is number => !!n));
    const byName = new Map((old.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const was = byName.get(p.name ?? '') ?? 0;
      if (was && !inNew.has(was)) { p.nodePort = was; inNew.add(was); }
    }
  }
}

/** Keep clusterIP and clusterIPs in step when a client changed only one of them. */
export function normalizeClusterIPs(spec: ServiceSpec, old: ServiceSpec): void {
  const ip = spec.clusterIP ?? '';
  const oldIp = old.clusterIP ?? '';
  const oldIps = old.clusterIPs ?? [];
  // an old client patching something else dropped clusterIPs
  if (oldIps.length > 0 && (spec.clusterIPs ?? []).length === 0 && ip === oldIp) spec.clusterIPs = [...oldIps];
  if (ip === oldIp) return;
  const pluralUnchanged = sameList(oldIps, spec.clusterIPs ?? []);
  if (!pluralUnchanged) return;
  if (oldIp && !ip) delete spec.clusterIPs;
  else if (ip) spec.clusterIPs = [ip];
}

/** Wipe what the new type does not use, when the client left it as it was. */
export function dropTypeDependentFields(next: Service, prev: Service): void {
  const spec = (next.spec ??= {});
  const old = prev.spec ?? {};
  if (needsClusterIP(old) && !needsClusterIP(spec)) {
    if ((spec.clusterIP ?? '') === (old.clusterIP ?? '') && sameList(spec.clusterIPs ?? [], old.clusterIPs ?? [])) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(spec.ipFamilies ?? [], old.ipFamilies ?? [])) delete spec.ipFamilies;
    if ((spec.ipFamilyPolicy ?? '') === (old.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(old) && !needsNodePorts(spec)) {
    const had = new Set((old.ports ?? []).map((p) => p.nodePort).filter((n): n is number => !!n));
    const noneNew = (spec.ports ?? []).every((p) => !p.nodePort || had.has(p.nodePort));
    if (noneNew) for (const p of spec.ports ?? []) delete p.nodePort;
  }
  const hcNodePort = (s: ServiceSpec): boolean => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  if (hcNodePort(old) && !hcNodePort(spec) && spec.healthCheckNodePort === old.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (old.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === old.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (spec.loadBalancerClass === old.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(spec) && spec.externalTrafficPolicy === old.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  if (spec.type !== 'LoadBalancer' && next.status?.loadBalancer) (next as { status?: ServiceStatus }).status = { ...next.status, loadBalancer: {} };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
