/**
 * The projected volume the ServiceAccount admission step gives a pod (upstream's
 * `kube-api-access-<random>`): a bound token, the cluster CA from `kube-root-ca.crt` and the
 * pod's namespace, mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every
 * container and init container that has nothing mounted there yet. PURE but for the name.
 */
import { randomInt } from 'node:crypto';
import type { Container, Pod, ProjectedVolumeSource, VolumeMount } from 'kubernetes-types/core/v1.js';

export const API_ACCESS_VOLUME_PREFIX = 'kube-api-access-';
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Upstream asks for 3607 s: a value it recognises to warn about (not fail) tokens used after an hour. */
export const API_ACCESS_TOKEN_SECONDS = 3607;
/** 0644, the projected volume default, set explicitly as upstream does. */
const DEFAULT_MODE = 420;
/** The alphabet of upstream's random name suffixes (no vowels, no look-alike digits). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5, pick: (max: number) => number = randomInt): string {
  let s = '';
  for (let i = 0; i < n; i++) s += SUFFIX_ALPHABET[pick(SUFFIX_ALPHABET.length)];
  return s;
}

export function apiAccessVolumeSource(): ProjectedVolumeSource {
  return {
    defaultMode: DEFAULT_MODE,
    sources: [
      { serviceAccountToken: { expirationSeconds: API_ACCESS_TOKEN_SECONDS, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

/**
 * Adds the mount to every container and init container without one at the mount path, and the
 * volume when one was added and the pod has no `kube-api-access-*` volume of its own (whose name
 * the mounts then use). Ephemeral containers get nothing, as upstream.
 */
export function mountApiAccess(pod: Pod, suffix: () => string = randomSuffix): void {
  const spec = pod.spec;
  if (!spec) return;
  const volumes = spec.volumes ?? [];
  const existing = volumes.find((v) => v.name.startsWith(API_ACCESS_VOLUME_PREFIX));
  // no other volume can hold a new name: none starts with the prefix
  const name = existing?.name ?? API_ACCESS_VOLUME_PREFIX + suffix();
  const mount: VolumeMount = { name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
  let mounted = false;
  const addTo = (cs: Container[] | undefined): void => {
    for (const c of cs ?? []) {
      if ((c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
      c.volumeMounts = [...(c.volumeMounts ?? []), { ...mount }];
      mounted = true;
    }
  };
  addTo(spec.initContainers);
  addTo(spec.containers);
  if (mounted && !existing) spec.volumes = [...volumes, { name, projected: apiAccessVolumeSource() }];
}
