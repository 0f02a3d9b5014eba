/**
 * The scheduler's view of the cluster: NodeInfo per node, fed incrementally from the node and pod
 * informers, plus pods the scheduler has assumed bound before the API server confirms (the
 * upstream "assume cache"), so the next pod sees them at once. Also keeps cluster-wide tallies
 * the plugins need: nodes per image, pods per owner per node, nodes with affinity pods.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { keyOf } from '../api/object.js';
import { NodeInfo } from './node-info.js';
import { buildPodInfo } from './pod-info.js';
import type { PodInfo } from './pod-info.js';

export class Snapshot {
  private readonly infos = new Map<string, NodeInfo>();
  private list: NodeInfo[] | undefined;
  /** pod key -> node name. */
  private readonly podNode = new Map<string, string>();
  private readonly assumed = new Set<string>();
  /** image name -> how many nodes have it. */
  private readonly imageNodes = new Map<string, number>();
  /** owner UID -> node name -> pods. */
  private readonly ownerPods = new Map<string, Map<string, number>>();
  /** Nodes holding at least one pod with affinity terms (kept as a count per node). */
  private readonly affinityNodes = new Map<string, number>();

  /** Nodes (with a Node object) in a stable order; the array is cached until the node set changes. */
  nodeInfos(): readonly NodeInfo[] {
    if (!this.list) this.list = [...this.infos.values()].filter((n) => n.node !== undefined);
    return this.list;
  }

  get numNodes(): number { return this.nodeInfos().length; }
  get(nodeName: string): NodeInfo | undefined { return this.infos.get(nodeName); }
  /** How many nodes report this (normalized) image. */
  nodesWithImage(image: string): number { return this.imageNodes.get(image) ?? 0; }
  /** Pods with this controller owner on this node. */
  ownerPodsOn(ownerUid: string, nodeName: string): number { return this.ownerPods.get(ownerUid)?.get(nodeName) ?? 0; }
  /** node name -> pods with this controller owner (read-only view). */
  ownerPodCounts(ownerUid: string): ReadonlyMap<string, number> | undefined { return this.ownerPods.get(ownerUid); }
  /** Nodes with pods that carry affinity terms (for InterPodAffinity's fast path). */
  nodesWithAffinityPods(): NodeInfo[] {
    const out: NodeInfo[] = [];
    for (const name of this.affinityNodes.keys()) { const ni = this.infos.get(name); if (ni?.node) out.push(ni); }
    return out;
  }
  isAssumed(podKey: string): boolean { return this.assumed.has(podKey); }
  nodeOf(podKey: string): string | undefined { return this.podNode.get(podKey); }

  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    let ni = this.infos.get(name);
    if (!ni) { ni = new NodeInfo(name); this.infos.set(name, ni); }
    if (ni.node === undefined) this.list = undefined;
    for (const img of ni.images.keys()) this.countImage(img, -1);
    ni.setNode(node);
    for (const img of ni.images.keys()) this.countImage(img, 1);
  }

  removeNode(name: string): void {
    const ni = this.infos.get(name);
    if (!ni) return;
    for (const img of ni.images.keys()) this.countImage(img, -1);
    this.list = undefined;
    if (ni.pods.size === 0) { this.infos.delete(name); return; }
    ni.node = undefined; // pods still bound to it stay accounted until they are deleted
    ni.images = new Map();
  }

  /** Add or replace an assigned pod (from the informer); replaces an assumed copy. */
  addPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const key = keyOf(pod);
    this.removePod(key);
    this.place(buildPodInfo(pod), nodeName);
  }

  removePod(key: string): void {
    const nodeName = this.podNode.get(key);
    this.assumed.delete(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    const ni = this.infos.get(nodeName);
    const p = ni?.removePod(key);
    if (!ni || !p) return;
    if (p.ownerUid) {
      const m = this.ownerPods.get(p.ownerUid);
      const n = (m?.get(nodeName) ?? 1) - 1;
      if (n > 0) m?.set(nodeName, n); else m?.delete(nodeName);
      if (m && m.size === 0) this.ownerPods.delete(p.ownerUid);
    }
    if (ni.podsWithAffinity.size === 0) this.affinityNodes.delete(nodeName);
    if (ni.node === undefined && ni.pods.size === 0) this.infos.delete(nodeName);
  }

  /** Account `info` as bound to `nodeName` before the API server confirms it. */
  assume(info: PodInfo, nodeName: string): void {
    this.removePod(info.key);
    const pod: Pod = { ...info.pod, spec: { ...info.pod.spec, containers: info.pod.spec?.containers ?? [], nodeName } };
    this.place({ ...info, pod }, nodeName);
    this.assumed.add(info.key);
  }

  /** Undo an assume (the bind failed). A confirmed pod is left alone. */
  forget(podKey: string): void {
    if (this.assumed.has(podKey)) this.removePod(podKey);
  }

  private place(p: PodInfo, nodeName: string): void {
    let ni = this.infos.get(nodeName);
    if (!ni) { ni = new NodeInfo(nodeName); this.infos.set(nodeName, ni); }
    ni.addPod(p);
    this.podNode.set(p.key, nodeName);
    if (p.ownerUid) {
      let m = this.ownerPods.get(p.ownerUid);
      if (!m) this.ownerPods.set(p.ownerUid, (m = new Map()));
      m.set(nodeName, (m.get(nodeName) ?? 0) + 1);
    }
    if (ni.podsWithAffinity.size > 0) this.affinityNodes.set(nodeName, ni.podsWithAffinity.size);
  }

  private countImage(img: string, d: number): void {
    const n = (this.imageNodes.get(img) ?? 0) + d;
    if (n > 0) this.imageNodes.set(img, n); else this.imageNodes.delete(img);
  }
}
