/**
 * PURE: the PersistentVolume tinykube's built-in provisioner (`tinykube.io/local-path`) makes for a
 * claim: a `local` volume at `<node's local-path root>/<pv name>` with node affinity to the node the
 * scheduler selected (`volume.kubernetes.io/selected-node`), the claim's size, access modes and mode,
 * the class's reclaim policy, pre-bound to the claim. The directory itself is the node agent's work
 * (agent/local-path-volumes.ts): made when a pod first mounts the volume, removed once the PV is gone.
 * Names are checked here and again on the node: a path never leaves the root.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { ANN_LOCAL_PATH_ROOT, ANN_PROVISIONED_BY, LOCAL_PATH_PROVISIONER, PV_PROTECTION, localPathOf } from '../../api/storage-names.js';

export const SUPPORTED_MODES: readonly string[] = ['ReadWriteOnce', 'ReadWriteOncePod'];

/** Upstream's name for a provisioned volume: pvc-<claim uid>. */
export const provisionedName = (pvc: PersistentVolumeClaim): string => `pvc-${pvc.metadata?.uid ?? ''}`;

export type ProvisionResult = { ok: true; pv: PersistentVolume } | { ok: false; message: string };

export function provisionLocalPath(pvc: PersistentVolumeClaim, sc: StorageClass, node: Node | undefined): ProvisionResult {
  if (!node) return { ok: false, message: 'configuration error, no node was specified' };
  const bad = (pvc.spec?.accessModes ?? []).filter((m) => !SUPPORTED_MODES.includes(m));
  if (bad.length > 0) return { ok: false, message: `local-path only supports ${SUPPORTED_MODES.join(', ')} access modes, not ${bad.join(', ')}` };
  if (pvc.spec?.volumeMode === 'Block') return { ok: false, message: 'local-path does not support volumeMode Block' };
  const name = provisionedName(pvc);
  const nodeName = node.metadata?.name ?? '';
  const root = node.metadata?.annotations?.[ANN_LOCAL_PATH_ROOT];
  if (root === undefined) return { ok: false, message: `node "${nodeName}" has no ${ANN_LOCAL_PATH_ROOT} annotation (its agent does not serve local-path volumes)` };
  const path = localPathOf(root, name);
  if (path === undefined) return { ok: false, message: `node "${nodeName}" has an invalid ${ANN_LOCAL_PATH_ROOT} annotation or the volume name "${name}" is invalid` };
  const hostname = node.metadata?.labels?.['kubernetes.io/hostname'] ?? nodeName;
  const md = pvc.metadata ?? {};
  const pv: PersistentVolume = {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: { name, annotations: { [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER }, finalizers: [PV_PROTECTION] },
    spec: {
      capacity: { storage: pvc.spec?.resources?.requests?.['storage'] ?? '0' },
      accessModes: [...(pvc.spec?.accessModes ?? [])],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata?.name ?? '',
      volumeMode: 'Filesystem',
      ...(sc.mountOptions?.length ? { mountOptions: [...sc.mountOptions] } : {}),
      local: { path },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [hostname] }] }] } },
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: md.namespace ?? '', name: md.name ?? '', uid: md.uid ?? '', resourceVersion: md.resourceVersion ?? '' },
    },
  };
  return { ok: true, pv };
}
