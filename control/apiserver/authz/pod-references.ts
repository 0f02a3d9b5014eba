/**
 * The API objects a pod refers to by name (upstream's VisitPodSecretNames / VisitPodConfigmapNames
 * plus claims and its ServiceAccount): the edges of the Node authorizer's graph
 * node <- pod <- secret|configmap|pvc|serviceaccount, and what NodeRestriction forbids a mirror pod
 * to reference.
 */
import type { Container, EphemeralContainer, Pod, Volume } from 'kubernetes-types/core/v1.js';

export interface PodReferences {
  secrets: Set<string>;
  configMaps: Set<string>;
  persistentVolumeClaims: Set<string>;
  /** The pod's spec.serviceAccountName, when set (upstream's graph adds no edge for an empty one). */
  serviceAccounts: Set<string>;
}

/** Secret references of the volume plugins that take credentials. */
function volumeSecrets(v: Volume): Array<string | undefined> {
  return [
    v.secret?.secretName, v.azureFile?.secretName, v.cephfs?.secretRef?.name, v.cinder?.secretRef?.name,
    v.flexVolume?.secretRef?.name, v.rbd?.secretRef?.name, v.scaleIO?.secretRef?.name, v.iscsi?.secretRef?.name,
    v.storageos?.secretRef?.name, v.csi?.nodePublishSecretRef?.name,
    ...(v.projected?.sources ?? []).map((s) => s.secret?.name),
  ];
}

function addAll(set: Set<string>, names: ReadonlyArray<string | undefined>): void {
  for (const n of names) if (n) set.add(n);
}

/** PURE. Every secret, configmap and claim the pod names (containers of all kinds, volumes, pull secrets), and its ServiceAccount. */
export function podReferences(pod: Pod): PodReferences {
  const refs: PodReferences = { secrets: new Set(), configMaps: new Set(), persistentVolumeClaims: new Set(), serviceAccounts: new Set() };
  const spec = pod.spec;
  if (!spec) return refs;
  addAll(refs.serviceAccounts, [spec.serviceAccountName]);
  addAll(refs.secrets, (spec.imagePullSecrets ?? []).map((s) => s.name));
  const containers: Array<Container | EphemeralContainer> = [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    for (const f of c.envFrom ?? []) {
      addAll(refs.secrets, [f.secretRef?.name]);
      addAll(refs.configMaps, [f.configMapRef?.name]);
    }
    for (const e of c.env ?? []) {
      addAll(refs.secrets, [e.valueFrom?.secretKeyRef?.name]);
      addAll(refs.configMaps, [e.valueFrom?.configMapKeyRef?.name]);
    }
  }
  for (const v of spec.volumes ?? []) {
    addAll(refs.secrets, volumeSecrets(v));
    addAll(refs.configMaps, [v.configMap?.name, ...(v.projected?.sources ?? []).map((s) => s.configMap?.name)]);
    // a generic ephemeral volume's claim is named <pod>-<volume>
    addAll(refs.persistentVolumeClaims, [v.persistentVolumeClaim?.claimName, v.ephemeral ? `${pod.metadata?.name ?? ''}-${v.name}` : undefined]);
  }
  return refs;
}
