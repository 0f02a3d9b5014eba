/**
 * PodInfo: the facts about a pod the plugins need, parsed once (requests, host ports, affinity
 * terms, images, owner) so the per-node work stays cheap.
 */
import type { Container, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { keyOf } from '../api/object.js';
import { selectorFromLabelSelector, selectorFromLabelSelectorOrEverything } from '../api/labels.js';
import type { Selector } from '../api/labels.js';
import { quantityOf } from '../api/quantity.js';

/** Requests of a container that asks for nothing count as these when scoring (upstream non-zero defaults). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export interface Resources { milliCpu: number; memory: number }
export interface HostPort { ip: string; protocol: string; port: number }

export interface AffinityTerm {
  selector: Selector;
  /** Namespaces the term looks in; undefined means every namespace. */
  namespaces?: ReadonlySet<string>;
  topologyKey: string;
}
export interface WeightedAffinityTerm extends AffinityTerm { weight: number }

export interface PodInfo {
  pod: Pod;
  key: string;
  namespace: string;
  labels: Readonly<Record<string, string>>;
  /** Actual requests (NodeResourcesFit filter, BalancedAllocation). */
  requests: Resources;
  /** Requests with non-zero defaults (LeastAllocated). */
  nonZero: Resources;
  hostPorts: HostPort[];
  /** Normalized image names of every container (init included). */
  images: string[];
  /** UID of the controller owner (ReplicaSet, Job…), for spreading. */
  ownerUid?: string;
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

export function buildPodInfo(pod: Pod): PodInfo {
  const spec = pod.spec;
  const namespace = pod.metadata?.namespace ?? 'default';
  const aff = spec?.affinity;
  const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  return {
    pod, key: keyOf(pod), namespace,
    labels: pod.metadata?.labels ?? {},
    requests: podRequests(pod, false),
    nonZero: podRequests(pod, true),
    hostPorts: hostPortsOf(containers),
    images: containers.map((c) => normalizedImageName(c.image ?? '')).filter((s) => s !== ''),
    ownerUid: pod.metadata?.ownerReferences?.find((r) => r.controller)?.uid,
    requiredAffinity: terms(namespace, aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: terms(namespace, aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: weighted(namespace, aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weighted(namespace, aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

export function hasAffinity(p: PodInfo): boolean {
  return p.requiredAffinity.length + p.requiredAntiAffinity.length + p.preferredAffinity.length + p.preferredAntiAffinity.length > 0;
}

/** True when the term selects `pod` (its namespace is in scope and its labels match). */
export function termMatches(term: AffinityTerm, pod: PodInfo): boolean {
  return (term.namespaces === undefined || term.namespaces.has(pod.namespace)) && term.selector.matches(pod.labels);
}

/** "nginx" -> "nginx:latest"; names with a tag or digest are kept (upstream normalizedImageName). */
export function normalizedImageName(name: string): string {
  if (name === '') return '';
  if (name.includes('@')) return name;
  const lastSlash = name.lastIndexOf('/');
  return name.lastIndexOf(':') > lastSlash ? name : `${name}:latest`;
}

function resourcesOf(c: Container, nonZero: boolean): Resources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuQ = req['cpu'] ?? lim['cpu'];
  const memQ = req['memory'] ?? lim['memory'];
  let milliCpu = cpuQ === undefined ? 0 : Math.ceil(quantityOf(cpuQ) * 1000 - 1e-6);
  let memory = memQ === undefined ? 0 : Math.ceil(quantityOf(memQ) - 1e-6);
  if (nonZero && milliCpu === 0) milliCpu = DEFAULT_MILLI_CPU_REQUEST;
  if (nonZero && memory === 0) memory = DEFAULT_MEMORY_REQUEST;
  return { milliCpu, memory };
}

/**
 * Effective pod requests (upstream resourcehelper.PodRequests): max(sum of app containers plus
 * sidecars, the largest init container plus the sidecars started before it), plus overhead.
 */
export function podRequests(pod: Pod, nonZero: boolean): Resources {
  const sum: Resources = { milliCpu: 0, memory: 0 };
  for (const c of pod.spec?.containers ?? []) add(sum, resourcesOf(c, nonZero));
  const sidecars: Resources = { milliCpu: 0, memory: 0 };
  const initMax: Resources = { milliCpu: 0, memory: 0 };
  for (const c of pod.spec?.initContainers ?? []) {
    const r = resourcesOf(c, nonZero);
    let eff: Resources;
    if (c.restartPolicy === 'Always') { add(sidecars, r); eff = { ...sidecars }; } else eff = { milliCpu: r.milliCpu + sidecars.milliCpu, memory: r.memory + sidecars.memory };
    initMax.milliCpu = Math.max(initMax.milliCpu, eff.milliCpu);
    initMax.memory = Math.max(initMax.memory, eff.memory);
  }
  add(sum, sidecars);
  const out = { milliCpu: Math.max(sum.milliCpu, initMax.milliCpu), memory: Math.max(sum.memory, initMax.memory) };
  const oh = pod.spec?.overhead ?? {};
  if (oh['cpu'] !== undefined) out.milliCpu += Math.ceil(quantityOf(oh['cpu']) * 1000 - 1e-6);
  if (oh['memory'] !== undefined) out.memory += Math.ceil(quantityOf(oh['memory']) - 1e-6);
  return out;
}

function add(into: Resources, r: Resources): void { into.milliCpu += r.milliCpu; into.memory += r.memory; }

function hostPortsOf(containers: readonly Container[]): HostPort[] {
  const out: HostPort[] = [];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

function term(ns: string, t: PodAffinityTerm): AffinityTerm {
  let namespaces: Set<string> | undefined = new Set(t.namespaces ?? []);
  // An empty namespaceSelector ({}) selects every namespace; other namespaceSelectors would need
  // Namespace labels, which the scheduler does not watch: they fall back to the listed namespaces.
  if (t.namespaceSelector && selectorFromLabelSelectorOrEverything(t.namespaceSelector).empty) namespaces = undefined;
  else if (namespaces.size === 0) namespaces.add(ns);
  return { selector: selectorFromLabelSelector(t.labelSelector), namespaces, topologyKey: t.topologyKey };
}

function terms(ns: string, ts: readonly PodAffinityTerm[] | undefined): AffinityTerm[] {
  return (ts ?? []).map((t) => term(ns, t));
}

function weighted(ns: string, ts: readonly WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
  return (ts ?? []).map((t) => ({ ...term(ns, t.podAffinityTerm), weight: t.weight }));
}
