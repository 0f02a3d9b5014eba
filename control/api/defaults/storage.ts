/**
 * Defaults for the storage kinds (core/v1 defaults.go for PersistentVolume and PersistentVolumeClaim,
 * storage/v1 defaults.go for StorageClass). Not here: a PV's status on create (the registry strategy).
 */
import { ensure, rec, setDefault, type Obj } from '../validation/obj.js';

/** SetDefaults_PersistentVolume: status Pending, reclaim Retain (static PVs), volumeMode Filesystem. */
export function defaultPersistentVolume(pv: Obj): void {
  const spec = ensure(pv, 'spec');
  setDefault(ensure(pv, 'status'), 'phase', 'Pending');
  if (!spec['persistentVolumeReclaimPolicy']) spec['persistentVolumeReclaimPolicy'] = 'Retain';
  setDefault(spec, 'volumeMode', 'Filesystem');
  const hostPath = rec(spec['hostPath']);
  if (hostPath) setDefault(hostPath, 'type', '');
}

/** SetDefaults_PersistentVolumeClaim and its spec; also each StatefulSet volumeClaimTemplate. */
export function defaultPersistentVolumeClaim(pvc: Obj): void {
  setDefault(ensure(pvc, 'status'), 'phase', 'Pending');
  setDefault(ensure(pvc, 'spec'), 'volumeMode', 'Filesystem');
}

/** SetDefaults_StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
export function defaultStorageClass(sc: Obj): void {
  setDefault(sc, 'reclaimPolicy', 'Delete');
  setDefault(sc, 'volumeBindingMode', 'Immediate');
}
