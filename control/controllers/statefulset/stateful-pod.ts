/**
 * A StatefulSet's pods and claims by ordinal (PURE; upstream stateful_set_utils): the names
 * `<set>-<ordinal>` and `<template>-<set>-<ordinal>`, the identity labels, hostname and subdomain,
 * the claim volumes that replace same-named template volumes, and the checks that tell a pod
 * whose identity or storage drifted.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

const ORDINAL_RE = /^(.*)-([0-9]+)$/;

/** The parent set name and ordinal a pod name encodes; ordinal -1 when it encodes none. */
export function parentAndOrdinal(podName: string): { parent: string; ordinal: number } {
  const m = ORDINAL_RE.exec(podName);
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1]!, ordinal: Number.isSafeInteger(n) && n <= 0x7fffffff ? n : -1 };
}

export const ordinalOf = (pod: Pod): number => parentAndOrdinal(pod.metadata?.name ?? '').ordinal;
export const isMemberOf = (set: StatefulSet, pod: Pod): boolean => parentAndOrdinal(pod.metadata?.name ?? '').parent === set.metadata?.name;
export const startOrdinal = (set: StatefulSet): number => set.spec?.ordinals?.start ?? 0;
export const replicasOf = (set: StatefulSet): number => set.spec?.replicas ?? 1;
export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata?.name ?? ''}-${ordinal}`;
export const claimName = (set: StatefulSet, template: string, ordinal: number): string => `${template}-${set.metadata?.name ?? ''}-${ordinal}`;
export const podRevision = (pod: Pod): string => pod.metadata?.labels?.[REVISION_LABEL] ?? '';

/** start <= ordinal < start + replicas. */
export function inOrdinalRange(set: StatefulSet, ordinal: number): boolean {
  const start = startOrdinal(set);
  return ordinal >= start && ordinal < start + replicasOf(set);
}

export function setControllerRef(set: StatefulSet): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata?.name ?? '', uid: set.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The claims a pod of this ordinal uses, by template name (upstream getPersistentVolumeClaims). */
export function claimsFor(set: StatefulSet, ordinal: number): Array<{ template: string; claim: PersistentVolumeClaim }> {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const template = t.metadata?.name ?? '';
    const { status: _status, ...rest } = structuredClone(t);
    const claim: PersistentVolumeClaim = rest;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      ...(claim.metadata ?? {}),
      name: claimName(set, template, ordinal),
      namespace: set.metadata?.namespace,
      labels: { ...(claim.metadata?.labels ?? {}), ...(set.spec?.selector.matchLabels ?? {}) },
    };
    return { template, claim };
  });
}

/** Claim volumes first (template order), then the template's volumes they do not replace. */
export function withClaimVolumes(set: StatefulSet, ordinal: number, volumes: readonly Volume[] | undefined): Volume[] {
  const claims = claimsFor(set, ordinal);
  const names = new Set(claims.map((c) => c.template));
  return [
    ...claims.map((c) => ({ name: c.template, persistentVolumeClaim: { claimName: c.claim.metadata?.name ?? '' } })),
    ...(volumes ?? []).filter((v) => !names.has(v.name)),
  ];
}

/** A new pod of `set` (already at the wanted revision's template) for `ordinal`, labelled with `revision`. */
export function newStatefulPod(set: StatefulSet, ordinal: number, revision: string): Pod {
  const tmd = set.spec?.template.metadata ?? {};
  const spec = structuredClone(set.spec?.template.spec ?? { containers: [] });
  const name = podName(set, ordinal);
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  spec.volumes = withClaimVolumes(set, ordinal, spec.volumes);
  if (spec.volumes.length === 0) delete spec.volumes;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: set.metadata?.namespace,
      labels: { ...(tmd.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision },
      ...(tmd.annotations ? { annotations: { ...tmd.annotations } } : {}),
      ...(tmd.finalizers ? { finalizers: [...tmd.finalizers] } : {}),
      ownerReferences: [setControllerRef(set)],
    },
    spec,
  };
}

/** Upstream identityMatches: name, namespace and the pod-name label fit the set. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod.metadata?.name ?? '');
  return ordinal >= 0 && parent === set.metadata?.name && pod.metadata?.namespace === set.metadata?.namespace
    && pod.metadata?.labels?.[POD_NAME_LABEL] === pod.metadata?.name;
}

/** Upstream storageMatches: every claim template is mounted from this ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const byName = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec?.volumeClaimTemplates ?? []).every((t) => {
    const v = byName.get(t.metadata?.name ?? '');
    return v?.persistentVolumeClaim?.claimName === claimName(set, t.metadata?.name ?? '', ordinal);
  });
}

/** The identity labels a drifted pod gets back (upstream updateIdentity; hostname/subdomain are immutable). */
export function identityLabels(pod: Pod): Record<string, string> {
  const name = pod.metadata?.name ?? '';
  return { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinalOf(pod)) };
}
