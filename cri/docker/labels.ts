/**
 * Docker labels carry everything CRI needs to rebuild sandboxes and containers from `docker ps`
 * (Docker has no annotations): the cri-dockerd label keys, CRI annotations as `annotation.`-
 * prefixed labels, plus a scope label so several runtimes (agents) can share one dockerd.
 */
import type { ContainerMetadata, PodSandboxMetadata } from '../types.js';

export const LABEL_TYPE = 'io.kubernetes.docker.type';
export const TYPE_SANDBOX = 'podsandbox';
export const TYPE_CONTAINER = 'container';
export const LABEL_SANDBOX_ID = 'io.kubernetes.sandbox.id';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const LABEL_LOG_PATH = 'io.kubernetes.container.logpath';
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_ATTEMPT = 'io.tinykube.attempt';
export const LABEL_SCOPE = 'io.tinykube.runtime-scope';
export const LABEL_HOST_NETWORK = 'io.tinykube.host-network';
export const ANNOTATION_PREFIX = 'annotation.';
export const SANDBOX_CONTAINER_NAME = 'POD';
/** The scope value that means "every scope": a machine-wide view (tinykube crictl), never an agent's. */
export const ALL_SCOPES = '*';

/** Labels that are ours and are not handed back as CRI labels. */
const INTERNAL = new Set([LABEL_TYPE, LABEL_SANDBOX_ID, LABEL_LOG_PATH, LABEL_ATTEMPT, LABEL_SCOPE, LABEL_HOST_NETWORK]);

/** CRI labels + annotations (prefixed) merged with our own labels; ours win. */
export function toDockerLabels(labels: Record<string, string> | undefined, annotations: Record<string, string> | undefined,
  own: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...labels };
  for (const [k, v] of Object.entries(annotations ?? {})) out[ANNOTATION_PREFIX + k] = v;
  return Object.assign(out, own);
}

/** Splits Docker labels back into CRI labels and annotations, dropping internal keys. */
export function fromDockerLabels(docker: Record<string, string> | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(docker ?? {})) {
    if (k.startsWith(ANNOTATION_PREFIX)) annotations[k.slice(ANNOTATION_PREFIX.length)] = v;
    else if (!INTERNAL.has(k)) labels[k] = v;
  }
  return { labels, annotations };
}

export function sandboxOwnLabels(meta: PodSandboxMetadata, scope: string, hostNetwork: boolean): Record<string, string> {
  return {
    [LABEL_TYPE]: TYPE_SANDBOX,
    [LABEL_SCOPE]: scope,
    [LABEL_POD_NAME]: meta.name,
    [LABEL_POD_NAMESPACE]: meta.namespace,
    [LABEL_POD_UID]: meta.uid,
    [LABEL_CONTAINER_NAME]: SANDBOX_CONTAINER_NAME,
    [LABEL_ATTEMPT]: String(meta.attempt),
    ...(hostNetwork ? { [LABEL_HOST_NETWORK]: 'true' } : {}),
  };
}

export function containerOwnLabels(meta: ContainerMetadata, pod: PodSandboxMetadata, sandboxId: string, scope: string,
  logPath: string | undefined): Record<string, string> {
  return {
    [LABEL_TYPE]: TYPE_CONTAINER,
    [LABEL_SCOPE]: scope,
    [LABEL_SANDBOX_ID]: sandboxId,
    [LABEL_POD_NAME]: pod.name,
    [LABEL_POD_NAMESPACE]: pod.namespace,
    [LABEL_POD_UID]: pod.uid,
    [LABEL_CONTAINER_NAME]: meta.name,
    [LABEL_ATTEMPT]: String(meta.attempt),
    ...(logPath === undefined ? {} : { [LABEL_LOG_PATH]: logPath }),
  };
}

export function sandboxMetadataOf(labels: Record<string, string> | undefined): PodSandboxMetadata {
  const l = labels ?? {};
  return {
    name: l[LABEL_POD_NAME] ?? '',
    namespace: l[LABEL_POD_NAMESPACE] ?? '',
    uid: l[LABEL_POD_UID] ?? '',
    attempt: Number(l[LABEL_ATTEMPT] ?? 0) || 0,
  };
}

export function containerMetadataOf(labels: Record<string, string> | undefined): ContainerMetadata {
  const l = labels ?? {};
  return { name: l[LABEL_CONTAINER_NAME] ?? '', attempt: Number(l[LABEL_ATTEMPT] ?? 0) || 0 };
}

/** Docker names after cri-dockerd: k8s_<container>_<pod>_<ns>_<uid>_<attempt>. */
export function dockerName(container: string, pod: PodSandboxMetadata, attempt: number): string {
  return ['k8s', container, pod.name, pod.namespace, pod.uid, String(attempt)].join('_');
}

/** `label` filter values for `docker ps` / `docker events` (ANDed by Docker); ALL_SCOPES drops the scope term. */
export function labelFilters(type: string, scope: string, extra: Record<string, string> = {}): string[] {
  const out = [`${LABEL_TYPE}=${type}`, ...(scope === ALL_SCOPES ? [] : [`${LABEL_SCOPE}=${scope}`])];
  for (const [k, v] of Object.entries(extra)) out.push(`${k}=${v}`);
  return out;
}
