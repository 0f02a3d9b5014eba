/**
 * NodeRestriction (upstream's admission plugin, the parts tinykube needs): what a node may write
 * once the Node authorizer let the request through. A node may register and modify only its own
 * Node (no taint changes, no restricted labels), create only mirror pods bound to itself that
 * reference no other API objects, delete and update the status of only the pods bound to it, and
 * create only its own Lease. Refusals are 403s worded like upstream's admission.NewForbidden.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { forbidden, fmtGR } from '../../api/status.js';
import type { ApiError, GroupResource } from '../../api/status.js';
import { deepEqual } from '../../util/deep-equal.js';
import { podReferences } from './pod-references.js';

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

const NODES: GroupResource = { group: '', resource: 'nodes' };
const PODS: GroupResource = { group: '', resource: 'pods' };
const LEASES: GroupResource = { group: 'coordination.k8s.io', resource: 'leases' };

/** Labels a kubelet sets on its own Node (upstream kubeletapis.IsKubeletLabel). */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname', 'kubernetes.io/os', 'kubernetes.io/arch', 'beta.kubernetes.io/os', 'beta.kubernetes.io/arch',
  'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

/** `nodes "n2" is forbidden: <reason>` (no name part when there is no name). */
export function admissionForbidden(gr: GroupResource, name: string | undefined, reason: string): ApiError {
  return forbidden(`${fmtGR(gr)}${name ? ` "${name}"` : ''} is forbidden: ${reason}`);
}

const labelNamespace = (key: string): string => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const inNamespace = (ns: string, domain: string): boolean => ns === domain || ns.endsWith(`.${domain}`);

/** PURE. Label keys added, removed or changed between the two sets, those a node may not touch, sorted. */
export function forbiddenNodeLabels(next: Record<string, string> = {}, prev: Record<string, string> = {}): string[] {
  const modified = new Set<string>();
  for (const [k, v] of Object.entries(next)) if (prev[k] !== v) modified.add(k);
  for (const [k, v] of Object.entries(prev)) if (next[k] !== v) modified.add(k);
  return [...modified].filter((key) => {
    const ns = labelNamespace(key);
    if (inNamespace(ns, 'node-restriction.kubernetes.io')) return true;
    const kubernetes = inNamespace(ns, 'kubernetes.io') || inNamespace(ns, 'k8s.io');
    const kubelet = KUBELET_LABELS.has(key) || KUBELET_LABEL_NAMESPACES.some((d) => inNamespace(ns, d));
    return kubernetes && !kubelet;
  }).sort();
}

/**
 * PURE. A node creating or updating a Node (main resource or status): only its own, never its
 * taints, configSource or labels outside the kubelet's set.
 */
export function admitNode(nodeName: string, name: string, next?: Node, old?: Node): ApiError | undefined {
  const deny = (reason: string) => admissionForbidden(NODES, name, reason);
  if (name !== nodeName) return deny(`node "${nodeName}" is not allowed to modify node "${name}"`);
  if (next && !old) {
    if (next.spec?.configSource) return deny(`node "${nodeName}" is not allowed to create pods with a non-nil configSource`);
    const labels = forbiddenNodeLabels(next.metadata?.labels);
    if (labels.length > 0) return deny(`node "${nodeName}" is not allowed to set the following labels: ${labels.join(', ')}`);
  }
  if (next && old) {
    if (next.spec?.configSource && !deepEqual(next.spec.configSource, old.spec?.configSource)) {
      return deny(`node "${nodeName}" is not allowed to update configSource to a new non-nil configSource`);
    }
    if (!deepEqual(next.spec?.taints ?? [], old.spec?.taints ?? [])) return deny(`node "${nodeName}" is not allowed to modify taints`);
    const labels = forbiddenNodeLabels(next.metadata?.labels, old.metadata?.labels);
    if (labels.length > 0) return deny(`is not allowed to modify labels: ${labels.join(', ')}`);
  }
  return undefined;
}

/**
 * PURE. A node creating a pod: only a mirror pod bound to itself that references no service
 * account, secret, configmap, cluster trust bundle or claim. An owner reference, when there is
 * one, must be the node itself as controller (`node` is the stored Node, for its UID). Upstream
 * also requires that owner reference; tinykube's agent does not set it yet, so none is accepted.
 */
export function admitPodCreate(nodeName: string, pod: Pod, node?: Node): ApiError | undefined {
  const deny = (reason: string) => admissionForbidden(PODS, pod.metadata?.name, reason);
  if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] === undefined) {
    return deny(`pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node "${nodeName}" can only create mirror pods`);
  }
  if (pod.spec?.nodeName !== nodeName) return deny(`node "${nodeName}" can only create pods with spec.nodeName set to itself`);
  const owners = pod.metadata.ownerReferences ?? [];
  if (owners.length > 1) return deny(`node "${nodeName}" can only create pods with a single owner reference set to itself`);
  const owner = owners[0];
  if (owner) {
    if (owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== nodeName) {
      return deny(`node "${nodeName}" can only create pods with an owner reference set to itself`);
    }
    if (owner.controller !== true) return deny(`node "${nodeName}" can only create pods with a controller owner reference set to itself`);
    if (owner.blockOwnerDeletion === true) return deny(`node "${nodeName}" must not set blockOwnerDeletion on an owner reference`);
    if (owner.uid !== node?.metadata?.uid) return deny(`node ${nodeName} UID mismatch: expected ${owner.uid} got ${node?.metadata?.uid ?? ''}`);
  }
  if (pod.spec.serviceAccountName) return deny(`node "${nodeName}" can not create pods that reference a service account`);
  const refs = podReferences(pod);
  if (refs.secrets.size > 0) return deny(`node "${nodeName}" can not create pods that reference secrets`);
  if (refs.configMaps.size > 0) return deny(`node "${nodeName}" can not create pods that reference configmaps`);
  const volumes = pod.spec.volumes ?? [];
  if (volumes.some((v) => (v.projected?.sources ?? []).some((s) => s.clusterTrustBundle))) {
    return deny(`node "${nodeName}" can not create pods that reference clustertrustbundles`);
  }
  if (volumes.some((v) => v.persistentVolumeClaim)) return deny(`node "${nodeName}" can not create pods that reference persistentvolumeclaims`);
  return undefined;
}

/** PURE. A node deleting a pod (`pod` as stored): only one bound to itself. */
export function admitPodDelete(nodeName: string, pod: Pod): ApiError | undefined {
  if (pod.spec?.nodeName === nodeName) return undefined;
  return admissionForbidden(PODS, pod.metadata?.name, `node "${nodeName}" can only delete pods with spec.nodeName set to itself`);
}

/** PURE. A node writing pods/status (`old` as stored): only for pods bound to itself. */
export function admitPodStatus(nodeName: string, old: Pod): ApiError | undefined {
  if (old.spec?.nodeName === nodeName) return undefined;
  return admissionForbidden(PODS, old.metadata?.name, `node "${nodeName}" can only update pod status for pods with spec.nodeName set to itself`);
}

/** PURE. A node creating a Lease: only its own, in kube-node-lease (the name is in the body, not the URL). */
export function admitLeaseCreate(nodeName: string, lease: Lease): ApiError | undefined {
  const deny = (reason: string) => admissionForbidden(LEASES, lease.metadata?.name, reason);
  if (lease.metadata?.namespace !== NODE_LEASE_NAMESPACE) return deny(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
  if (lease.metadata.name !== nodeName) return deny('can only access node lease with the same name as the requesting node');
  return undefined;
}
