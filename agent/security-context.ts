/**
 * PURE. Pod and container securityContext → the CRI security contexts, as the kubelet builds them
 * (kuberuntime security_context*.go, securitycontext.DetermineEffectiveSecurityContext): the
 * container's fields win over the pod's; fsGroup and supplementalGroups become supplementary
 * groups; allowPrivilegeEscalation=false is no_new_privs; hostPID/hostIPC/shareProcessNamespace
 * choose the namespaces. The image's USER is left to the runtime unless a runAsGroup needs a user
 * beside it (then the image's uid or name is passed, as the kubelet does). Fields at their default
 * are left out, so a pod without a securityContext gives configs without one.
 */
import type { Container, Pod, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { LinuxContainerSecurityContext, LinuxSandboxSecurityContext, NamespaceOption } from '../cri/types.js';

const MAX_USER_ID = 2147483647;

/** The image's USER as the runtime's imageStatus reports it (CRI Image.uid / Image.username). */
export interface ImageUser { uid?: number; username?: string }

/** The container's securityContext over the pod's (the pod only has the user, group and non-root fields). */
export function effectiveSecurityContext(pod: Pod, c: Container): SecurityContext {
  const p = pod.spec?.securityContext ?? {};
  const fromPod: SecurityContext = {
    ...(p.runAsUser == null ? {} : { runAsUser: p.runAsUser }),
    ...(p.runAsGroup == null ? {} : { runAsGroup: p.runAsGroup }),
    ...(p.runAsNonRoot == null ? {} : { runAsNonRoot: p.runAsNonRoot }),
  };
  const own = Object.fromEntries(Object.entries(c.securityContext ?? {}).filter(([, v]) => v !== undefined && v !== null));
  return { ...fromPod, ...own };
}

/** pid: NODE for hostPID, POD for shareProcessNamespace; ipc: NODE for hostIPC (defaults left out). */
export function namespaceOptions(pod: Pod): NamespaceOption {
  const spec = pod.spec;
  return {
    ...(spec?.hostPID === true ? { pid: 'NODE' as const } : spec?.shareProcessNamespace === true ? { pid: 'POD' as const } : {}),
    ...(spec?.hostIPC === true ? { ipc: 'NODE' as const } : {}),
  };
}

/** fsGroup first, then supplementalGroups (kubelet's order). */
function podGroups(pod: Pod): number[] {
  const p = pod.spec?.securityContext;
  return [...(p?.fsGroup == null ? [] : [p.fsGroup]), ...(p?.supplementalGroups ?? [])];
}

const nonEmpty = <T extends object>(o: T): T | undefined => (Object.keys(o).length > 0 ? o : undefined);

export function containerSecurityContext(pod: Pod, c: Container, image: ImageUser): LinuxContainerSecurityContext | undefined {
  const sc = effectiveSecurityContext(pod, c);
  const groups = podGroups(pod);
  const ns = nonEmpty(namespaceOptions(pod));
  const add = sc.capabilities?.add ?? [];
  const drop = sc.capabilities?.drop ?? [];
  // Without runAsUser the runtime keeps the image's USER (its group too); a runAsGroup alone would
  // make it root, so the image's user goes with the group.
  const imageUser = sc.runAsUser == null && sc.runAsGroup != null
    ? image.uid !== undefined ? { runAsUser: image.uid } : image.username ? { runAsUsername: image.username } : {}
    : {};
  return nonEmpty<LinuxContainerSecurityContext>({
    ...(sc.runAsUser == null ? imageUser : { runAsUser: sc.runAsUser }),
    ...(sc.runAsGroup == null ? {} : { runAsGroup: sc.runAsGroup }),
    ...(groups.length > 0 ? { supplementalGroups: groups } : {}),
    ...(sc.privileged === true ? { privileged: true } : {}),
    ...(sc.readOnlyRootFilesystem === true ? { readonlyRootfs: true } : {}),
    ...(add.length > 0 || drop.length > 0 ? { capabilities: { ...(add.length > 0 ? { addCapabilities: add } : {}), ...(drop.length > 0 ? { dropCapabilities: drop } : {}) } } : {}),
    ...(sc.allowPrivilegeEscalation === false ? { noNewPrivs: true } : {}),
    ...(ns === undefined ? {} : { namespaceOptions: ns }),
  });
}

export function sandboxSecurityContext(pod: Pod): LinuxSandboxSecurityContext | undefined {
  const p = pod.spec?.securityContext;
  const groups = podGroups(pod);
  const ns = nonEmpty(namespaceOptions(pod));
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return nonEmpty<LinuxSandboxSecurityContext>({
    ...(p?.runAsUser == null ? {} : { runAsUser: p.runAsUser }),
    ...(p?.runAsGroup == null ? {} : { runAsGroup: p.runAsGroup }),
    ...(groups.length > 0 ? { supplementalGroups: groups } : {}),
    ...(all.some((c) => c.securityContext?.privileged === true) ? { privileged: true } : {}),
    ...(ns === undefined ? {} : { namespaceOptions: ns }),
  });
}

/**
 * kubelet's verifyRunAsNonRoot: the message of the CreateContainerConfigError when runAsNonRoot
 * is set and the container would run as root (or as a user name that cannot be checked), else
 * undefined. An image without USER runs as root.
 */
export function verifyRunAsNonRoot(pod: Pod, c: Container, image: ImageUser): string | undefined {
  const sc = effectiveSecurityContext(pod, c);
  if (sc.runAsNonRoot !== true) return undefined;
  const where = `(pod: ${JSON.stringify(podFormat(pod))}, container: ${c.name})`;
  if (sc.runAsUser != null) return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  if (image.uid === undefined && image.username) {
    return `container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root ${where}`;
  }
  const uid = image.uid ?? 0;
  if (uid === 0) return `container has runAsNonRoot and image will run as root ${where}`;
  if (!Number.isInteger(uid) || uid < 0 || uid > MAX_USER_ID) {
    return `container has runAsNonRoot and image has an invalid user id (${uid}). (Must be 1-(${MAX_USER_ID})): must be between 0 and ${MAX_USER_ID}, inclusive ${where}`;
  }
  return undefined;
}

/** kubelet's format.Pod: name_namespace(uid). */
function podFormat(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? 'default'}(${pod.metadata?.uid ?? ''})`;
}
