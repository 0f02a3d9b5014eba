/** The annotations, finalizers and names the PV controller, the scheduler and the agent share (upstream's values). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';

/** tinykube's built-in provisioner and its default class (k3s ships the same as rancher.io/local-path). */
export const LOCAL_PATH_PROVISIONER = 'tinykube.io/local-path';
export const LOCAL_PATH_CLASS = 'local-path';
/** On a Node: the absolute directory under which its agent keeps local-path volumes (one directory per PV). */
export const ANN_LOCAL_PATH_ROOT = 'tinykube.io/local-path-root';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A PV name that is safe as one path segment: a DNS-1123 subdomain (no '/', no '..'), at most 253 characters. */
export function isSafeVolumeName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** An absolute, normalised root directory: no '.', '..' or empty segments, no control characters. */
export function isSafeRoot(root: unknown): root is string {
  if (typeof root !== 'string' || !root.startsWith('/') || root.length > 1024) return false;
  if (/[\u0000-\u001f\u007f]/.test(root)) return false;
  const segs = root.split('/').slice(1);
  return segs.length > 0 && segs.every((s) => s !== '' && s !== '.' && s !== '..');
}

/** The directory of a local-path volume, or undefined when the root or the name is not safe. */
export function localPathOf(root: unknown, pvName: unknown): string | undefined {
  if (!isSafeRoot(root) || !isSafeVolumeName(pvName)) return undefined;
  return `${root}/${pvName}`;
}
