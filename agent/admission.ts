/**
 * PURE. The kubelet's pod admission (upstream lifecycle predicateAdmitHandler over its
 * GeneralPredicates): may a pod bound to this node run here, next to the pods already admitted?
 * Checked in upstream's order — resources (pods, cpu, memory), node selector and required node
 * affinity, node name, host ports — and only the first failure is reported: a predicate failure
 * as `Predicate <Name> failed` with the predicate's name as the reason, a resource one as
 * `OutOf<resource>` with the requested/used/capacity figures. The caller turns a refusal into a
 * Failed pod whose message is `Pod <message>` (kubelet rejectPod).
 */
import type { Container, Node, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { matchesRequiredNodeAffinity } from '../control/api/node-affinity.js';
import { quantityOf } from '../control/api/quantity.js';

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

/** What admission needs of the node: its name, labels and allocatable resources. */
export interface AdmissionNode {
  name: string;
  labels: Readonly<Record<string, string>>;
  allocatable: { milliCpu: number; memory: number; pods: number };
}

interface HostPort { ip: string; protocol: string; port: number }
interface Requests { milliCpu: number; memory: number }

const ANY_IP = '0.0.0.0';

/** A quantity that does not parse counts as nothing (it never got past the API's validation). */
function amount(v: unknown, scale: number): number {
  if (v === undefined) return 0;
  try {
    return Math.ceil(quantityOf(v) * scale - 1e-9);
  } catch {
    return 0; // unreachable for stored pods: the API refuses bad quantities
  }
}

function containerRequests(c: Container): Requests {
  const r = c.resources?.requests ?? {};
  return { milliCpu: amount(r['cpu'], 1000), memory: amount(r['memory'], 1) };
}

/** Effective requests: the larger of the app containers' sum and each init container, plus overhead. */
export function podRequests(pod: Pod): Requests {
  const out: Requests = { milliCpu: 0, memory: 0 };
  for (const c of pod.spec?.containers ?? []) {
    const r = containerRequests(c);
    out.milliCpu += r.milliCpu;
    out.memory += r.memory;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c);
    out.milliCpu = Math.max(out.milliCpu, r.milliCpu);
    out.memory = Math.max(out.memory, r.memory);
  }
  const oh = pod.spec?.overhead ?? {};
  out.milliCpu += amount(oh['cpu'], 1000);
  out.memory += amount(oh['memory'], 1);
  return out;
}

/** The host ports of the pod's (app) containers, as upstream's NodePorts sees them: empty hostIP is 0.0.0.0, protocol TCP. */
export function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || ANY_IP, protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** Same protocol and port, and the same address or either one the wildcard. */
const conflicts = (a: HostPort, b: HostPort): boolean =>
  a.protocol === b.protocol && a.port === b.port && (a.ip === b.ip || a.ip === ANY_IP || b.ip === ANY_IP);

const predicateFailure = (name: string): AdmitResult => ({ admit: false, reason: name, message: `Predicate ${name} failed` });

const outOf = (resource: string, requested: number, used: number, capacity: number): AdmitResult => ({
  admit: false, reason: `OutOf${resource}`,
  message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
});

/** Whether `pod` may run on `node` beside `admitted` (the node's other active pods). */
export function admitPod(pod: Pod, admitted: readonly Pod[], node: AdmissionNode): AdmitResult {
  const alloc = node.allocatable;
  if (admitted.length + 1 > alloc.pods) return outOf('pods', 1, admitted.length, alloc.pods);
  const want = podRequests(pod);
  if (want.milliCpu > 0 || want.memory > 0) {
    const used: Requests = { milliCpu: 0, memory: 0 };
    for (const p of admitted) {
      const r = podRequests(p);
      used.milliCpu += r.milliCpu;
      used.memory += r.memory;
    }
    if (alloc.milliCpu < want.milliCpu + used.milliCpu) return outOf('cpu', want.milliCpu, used.milliCpu, alloc.milliCpu);
    if (alloc.memory < want.memory + used.memory) return outOf('memory', want.memory, used.memory, alloc.memory);
  }
  if (!matchesRequiredNodeAffinity(pod.spec, { name: node.name, labels: node.labels })) return predicateFailure('NodeAffinity');
  const nodeName = pod.spec?.nodeName;
  if (nodeName && nodeName !== node.name) return predicateFailure('NodeName');
  const wanted = hostPortsOf(pod);
  if (wanted.length > 0) {
    const inUse = admitted.flatMap(hostPortsOf);
    if (wanted.some((w) => inUse.some((u) => conflicts(w, u)))) return predicateFailure('NodePorts');
  }
  return { admit: true };
}

/** The node as admission sees it, from the Node object (allocatable, else capacity). */
export function admissionNodeOf(node: Node): AdmissionNode {
  const res = node.status?.allocatable ?? node.status?.capacity ?? {};
  return {
    name: node.metadata?.name ?? '',
    labels: node.metadata?.labels ?? {},
    allocatable: { milliCpu: amount(res['cpu'], 1000), memory: amount(res['memory'], 1), pods: amount(res['pods'], 1) },
  };
}

/** Pods in the order the kubelet admits a batch: oldest creationTimestamp first, then by name for a stable order. */
export function byCreation(a: Pod, b: Pod): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const ka = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const kb = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Why a pod was refused (the admit result's reason and message). */
export interface Rejection { reason: string; message: string }

/**
 * The status of a refused pod (kubelet rejectPod): Failed with the reason, `Pod <message>`;
 * startTime and the scheduler's PodScheduled condition stay; no container ever ran.
 */
export function rejectedStatus(pod: Pod, r: Rejection, now: string): PodStatus {
  const old = pod.status ?? {};
  const conditions = (old.conditions ?? []).filter((c) => c.type === 'PodScheduled');
  return {
    phase: 'Failed', reason: r.reason, message: `Pod ${r.message}`, startTime: old.startTime ?? now,
    ...(conditions.length ? { conditions } : {}),
    ...(old.qosClass ? { qosClass: old.qosClass } : {}),
  };
}
