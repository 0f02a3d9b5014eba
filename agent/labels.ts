/** The labels and annotations the agent puts on runtime objects, so state can be rebuilt from them. */
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** Hash of the container spec: a running container whose hash differs is replaced. */
export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';
export const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';
export const GRACE_PERIOD_ANNOTATION = 'io.kubernetes.pod.terminationGracePeriod';
/** Marks every sandbox/container this agent made (vs. other users of the same runtime). */
export const MANAGED_LABEL = 'io.tinykube.managed';

export const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';

export interface PodIdentity { name: string; namespace: string; uid: string }

export function podLabels(p: PodIdentity): Record<string, string> {
  return { [POD_NAME_LABEL]: p.name, [POD_NAMESPACE_LABEL]: p.namespace, [POD_UID_LABEL]: p.uid, [MANAGED_LABEL]: 'true' };
}
