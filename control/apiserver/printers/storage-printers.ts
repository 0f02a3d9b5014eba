import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide } from './columns.js';
import { sinceTimestamp } from './human-duration.js';
import { definePrinter } from './printer.js';
import type { TableCell } from './table.js';

/** upstream printPersistentVolume, printPersistentVolumeClaim and printStorageClass (1.32). */

const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const UNSET = '<unset>';
const MODE_ABBREVIATIONS: ReadonlyArray<[string, string]> = [
  ['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP'],
];

/** helper.GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order, each once. */
export function accessModesString(modes: readonly string[] | undefined): string {
  const have = new Set(modes ?? []);
  return MODE_ABBREVIATIONS.filter(([m]) => have.has(m)).map(([, short]) => short).join(',');
}

/** The beta annotation wins over spec.storageClassName, as upstream's class getters have it. */
function storageClassOf(annotations: Record<string, string> | undefined, specClass: string | undefined): string {
  return annotations?.[BETA_CLASS_ANNOTATION] ?? specClass ?? '';
}

const VOLUME_MODE_DOC = 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.';

export const persistentVolumePrinter = definePrinter<PersistentVolume>([
  NAME_COLUMN,
  column('Capacity', 'string', "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
  column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes'),
  column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming'),
  column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase'),
  column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding'),
  column('StorageClass', 'string', 'StorageClass of the pv'),
  column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
  column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
  AGE_COLUMN,
  wide('VolumeMode', 'string', VOLUME_MODE_DOC),
], (pv, ctx): TableCell[] => {
  const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '';
  return [
    pv.metadata?.name ?? '',
    String(pv.spec?.capacity?.['storage'] ?? '0'),
    accessModesString(pv.spec?.accessModes),
    pv.spec?.persistentVolumeReclaimPolicy ?? '',
    pv.metadata?.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '',
    claim,
    storageClassOf(pv.metadata?.annotations, pv.spec?.storageClassName),
    pv.spec?.volumeAttributesClassName ?? UNSET,
    pv.status?.reason ?? '',
    sinceTimestamp(pv.metadata?.creationTimestamp, ctx.now),
    pv.spec?.volumeMode ?? UNSET,
  ];
});

export const persistentVolumeClaimPrinter = definePrinter<PersistentVolumeClaim>([
  NAME_COLUMN,
  column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
  column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
  column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
  column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1'),
  column('StorageClass', 'string', 'StorageClass of the pvc'),
  column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
  AGE_COLUMN,
  wide('VolumeMode', 'string', VOLUME_MODE_DOC),
], (pvc, ctx): TableCell[] => {
  // capacity and access modes come from the bound volume, so they stay blank until the claim has one
  const bound = Boolean(pvc.spec?.volumeName);
  return [
    pvc.metadata?.name ?? '',
    pvc.metadata?.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '',
    pvc.spec?.volumeName ?? '',
    bound ? String(pvc.status?.capacity?.['storage'] ?? '0') : '',
    bound ? accessModesString(pvc.status?.accessModes) : '',
    storageClassOf(pvc.metadata?.annotations, pvc.spec?.storageClassName),
    pvc.spec?.volumeAttributesClassName ?? UNSET,
    sinceTimestamp(pvc.metadata?.creationTimestamp, ctx.now),
    pvc.spec?.volumeMode ?? UNSET,
  ];
});

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export const storageClassPrinter = definePrinter<StorageClass>([
  NAME_COLUMN,
  column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
  column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
  column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.'),
  column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
  AGE_COLUMN,
], (sc, ctx): TableCell[] => {
  const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata?.annotations?.[a] === 'true');
  return [
    `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
    sc.provisioner ?? '',
    sc.reclaimPolicy ?? 'Delete',
    sc.volumeBindingMode ?? 'Immediate',
    sc.allowVolumeExpansion ?? false,
    sinceTimestamp(sc.metadata?.creationTimestamp, ctx.now),
  ];
});
