/**
 * NodeInfo: one node as the plugins see it — the Node, the pods on it, the sums of their requests,
 * the host ports they hold and the images the node has. Updated incrementally by the Snapshot.
 */
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import { quantityOf } from '../api/quantity.js';
import type { HostPort, PodInfo, Resources } from './pod-info.js';
import { hasAffinity } from './pod-info.js';

export interface Allocatable extends Resources { pods: number }

export class NodeInfo {
  /** Undefined while pods are known to be bound to a node the snapshot has not seen yet. */
  node: Node | undefined;
  labels: Readonly<Record<string, string>> = {};
  taints: readonly Taint[] = [];
  unschedulable = false;
  allocatable: Allocatable = { milliCpu: 0, memory: 0, pods: 0 };
  /** Normalized image name -> size in bytes (node.status.images). */
  images = new Map<string, number>();
  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resources = { milliCpu: 0, memory: 0 };
  readonly nonZeroRequested: Resources = { milliCpu: 0, memory: 0 };
  /** "TCP/8080" -> host IP -> how many pods hold it. */
  readonly usedPorts = new Map<string, Map<string, number>>();
  /** Pods here with any pod (anti-)affinity, and those with required anti-affinity. */
  readonly podsWithAffinity = new Set<PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();

  constructor(readonly name: string) {}

  setNode(node: Node): void {
    this.node = node;
    this.labels = node.metadata?.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
    const a = node.status?.allocatable ?? node.status?.capacity ?? {};
    this.allocatable = {
      milliCpu: a['cpu'] === undefined ? 0 : Math.round(quantityOf(a['cpu']) * 1000),
      memory: a['memory'] === undefined ? 0 : Math.round(quantityOf(a['memory'])),
      pods: a['pods'] === undefined ? 0 : Math.round(quantityOf(a['pods'])),
    };
    const images = new Map<string, number>();
    for (const img of node.status?.images ?? []) for (const n of img.names ?? []) images.set(n, img.sizeBytes ?? 0);
    this.images = images;
  }

  addPod(p: PodInfo): void {
    this.pods.set(p.key, p);
    this.requested.milliCpu += p.requests.milliCpu;
    this.requested.memory += p.requests.memory;
    this.nonZeroRequested.milliCpu += p.nonZero.milliCpu;
    this.nonZeroRequested.memory += p.nonZero.memory;
    for (const hp of p.hostPorts) {
      const k = portKey(hp);
      let ips = this.usedPorts.get(k);
      if (!ips) this.usedPorts.set(k, (ips = new Map()));
      ips.set(hp.ip, (ips.get(hp.ip) ?? 0) + 1);
    }
    if (hasAffinity(p)) this.podsWithAffinity.add(p);
    if (p.requiredAntiAffinity.length > 0) this.podsWithRequiredAntiAffinity.add(p);
  }

  /** Removes the pod stored under `key`; returns it. */
  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    this.requested.milliCpu -= p.requests.milliCpu;
    this.requested.memory -= p.requests.memory;
    this.nonZeroRequested.milliCpu -= p.nonZero.milliCpu;
    this.nonZeroRequested.memory -= p.nonZero.memory;
    for (const hp of p.hostPorts) {
      const k = portKey(hp);
      const ips = this.usedPorts.get(k);
      const n = (ips?.get(hp.ip) ?? 0) - 1;
      if (n > 0) ips?.set(hp.ip, n); else ips?.delete(hp.ip);
      if (ips && ips.size === 0) this.usedPorts.delete(k);
    }
    this.podsWithAffinity.delete(p);
    this.podsWithRequiredAntiAffinity.delete(p);
    return p;
  }

  /** True when `hp` conflicts with a port a pod here holds (0.0.0.0 overlaps every IP). */
  portInUse(hp: HostPort): boolean {
    const ips = this.usedPorts.get(portKey(hp));
    if (!ips) return false;
    if (hp.ip === '0.0.0.0') return ips.size > 0;
    return ips.has(hp.ip) || ips.has('0.0.0.0');
  }
}

function portKey(hp: HostPort): string { return `${hp.protocol}/${hp.port}`; }

