/** Node and Pod builders for scheduler tests and the benchmark. */
import type { Affinity, Container, Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from '../node-info.js';
import { buildPodInfo } from '../pod-info.js';
import { CycleState } from '../types.js';

export interface NodeSpec {
  cpu?: string; memory?: string; pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function makeNode(name: string, s: NodeSpec = {}): Node {
  const alloc = { cpu: s.cpu ?? '4', memory: s.memory ?? '8Gi', pods: s.pods ?? '110' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(s.labels ?? {}) } },
    spec: { ...(s.taints ? { taints: s.taints } : {}), ...(s.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: alloc, allocatable: alloc, ...(s.images ? { images: s.images } : {}) },
  };
}

export interface PodSpec {
  namespace?: string;
  cpu?: string; memory?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: Affinity;
  hostPorts?: number[];
  image?: string;
  ownerUid?: string;
  priority?: number;
  containers?: Container[];
  initContainers?: Container[];
}

export function makePod(name: string, s: PodSpec = {}): Pod {
  const requests: Record<string, string> = {};
  if (s.cpu) requests['cpu'] = s.cpu;
  if (s.memory) requests['memory'] = s.memory;
  const container: Container = {
    name: 'c', image: s.image ?? 'busybox',
    ...(Object.keys(requests).length ? { resources: { requests } } : {}),
    ...(s.hostPorts ? { ports: s.hostPorts.map((p) => ({ containerPort: p, hostPort: p })) } : {}),
  };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: s.namespace ?? 'default', uid: `uid-${name}`, labels: s.labels ?? {},
      ...(s.ownerUid ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: s.ownerUid, controller: true }] } : {}),
    },
    spec: {
      containers: s.containers ?? [container],
      ...(s.initContainers ? { initContainers: s.initContainers } : {}),
      ...(s.nodeName ? { nodeName: s.nodeName } : {}),
      ...(s.nodeSelector ? { nodeSelector: s.nodeSelector } : {}),
      ...(s.tolerations ? { tolerations: s.tolerations } : {}),
      ...(s.affinity ? { affinity: s.affinity } : {}),
      ...(s.priority !== undefined ? { priority: s.priority } : {}),
    },
  };
}

/** A NodeInfo holding `pods` (each gets nodeName set). */
export function nodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  const ni = new NodeInfo(node.metadata?.name ?? '');
  ni.setNode(node);
  for (const p of pods) ni.addPod(buildPodInfo({ ...p, spec: { ...p.spec, containers: p.spec?.containers ?? [], nodeName: ni.name } }));
  return ni;
}

export function cycleState(pod: Pod): CycleState { return new CycleState(buildPodInfo(pod)); }
