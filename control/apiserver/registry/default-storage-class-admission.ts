/**
 * The DefaultStorageClass admission step (upstream plugin/pkg/admission/storage/storageclass/setdefault):
 * a new PersistentVolumeClaim that names no class (neither spec.storageClassName, "" included, nor the
 * beta annotation) gets the default StorageClass's name. With several defaults the newest wins, ties
 * by name; with none the claim is left alone.
 */
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { AdmissionAttributes } from './admission.js';

const STORAGE_CLASSES = findResource('storage.k8s.io', 'v1', 'storageclasses')!;
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** storageutil.IsDefaultAnnotation: the GA or the beta annotation is "true". */
export function isDefaultStorageClass(sc: KubeObject): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** The default class among `classes`: the most recently created, then the first by name. */
export function pickDefaultStorageClass(classes: readonly KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter(isDefaultStorageClass);
  defaults.sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '')
    || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return defaults[0];
}

export async function admitDefaultStorageClass(obj: KubeObject, attrs: AdmissionAttributes): Promise<void> {
  if (attrs.ri.resource !== 'persistentvolumeclaims' || attrs.ri.group !== '' || !attrs.list) return;
  const spec = (obj['spec'] ??= {}) as { storageClassName?: string | null };
  if (obj.metadata?.annotations?.[BETA_CLASS_ANNOTATION] !== undefined) return;
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
  const def = pickDefaultStorageClass(await attrs.list(STORAGE_CLASSES, ''));
  if (def?.metadata?.name) spec.storageClassName = def.metadata.name;
}
