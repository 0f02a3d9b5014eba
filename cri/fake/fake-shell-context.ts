/**
 * PURE. What the fake shell runs as, from the container's CRI security context as a real runtime
 * applies it: runAsUser, else the image's numeric USER, else root; runAsGroup, else 0; the
 * supplementary groups; a read-only root with its read-write mounts still writable.
 */
import type { ContainerConfig, Image } from '../types.js';
import type { ShellContext } from './fake-shell.js';

export function shellContext(config: Pick<ContainerConfig, 'linux' | 'mounts'>, image?: Pick<Image, 'uid'>): ShellContext {
  const sc = config.linux?.securityContext;
  return {
    uid: sc?.runAsUser ?? image?.uid ?? 0,
    gid: sc?.runAsGroup ?? 0,
    groups: [...new Set(sc?.supplementalGroups ?? [])].sort((a, b) => a - b),
    readonlyRootfs: sc?.readonlyRootfs === true,
    writableMounts: (config.mounts ?? []).filter((m) => m.readonly !== true).map((m) => m.containerPath),
  };
}
