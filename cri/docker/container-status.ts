/**
 * PURE. Docker views (`docker ps` rows and `docker inspect`) → CRI Container, ContainerStatus,
 * PodSandbox. Reasons follow cri-dockerd: OOMKilled, Completed (exit 0), ContainerCannotRun
 * (never started), Error.
 */
import type { Container, ContainerState, ContainerStatus, PodSandbox, PodSandboxState } from '../types.js';
import type { ContainerInspect, ContainerState as EngineContainerState, ContainerSummary } from './engine/types.js';
import { containerMetadataOf, fromDockerLabels, LABEL_LOG_PATH, LABEL_SANDBOX_ID, sandboxMetadataOf } from './labels.js';
import { dockerTimeToNs, unixSecondsToNs } from './time.js';

/** Docker state names ("created", "running", "exited", …) → CRI states. */
export function toContainerState(dockerState: string | undefined): ContainerState {
  switch (dockerState) {
    case 'created': return 'CONTAINER_CREATED';
    case 'running': case 'paused': case 'restarting': return 'CONTAINER_RUNNING';
    case 'exited': case 'dead': return 'CONTAINER_EXITED';
    default: return 'CONTAINER_UNKNOWN';
  }
}

export function toSandboxState(dockerState: string | undefined): PodSandboxState {
  return dockerState === 'running' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY';
}

/** A `docker ps` row of an app container. */
export function containerFromListInfo(info: ContainerSummary): Container {
  const { labels, annotations } = fromDockerLabels(info.Labels);
  return {
    id: info.Id,
    podSandboxId: info.Labels[LABEL_SANDBOX_ID] ?? '',
    metadata: containerMetadataOf(info.Labels),
    image: { image: info.Image },
    imageRef: info.ImageID,
    state: toContainerState(info.State),
    createdAt: unixSecondsToNs(info.Created),
    labels,
    annotations,
  };
}

/** A `docker ps` row of a pause container. */
export function sandboxFromListInfo(info: ContainerSummary): PodSandbox {
  const { labels, annotations } = fromDockerLabels(info.Labels);
  return {
    id: info.Id,
    metadata: sandboxMetadataOf(info.Labels),
    state: toSandboxState(info.State),
    createdAt: unixSecondsToNs(info.Created),
    labels,
    annotations,
  };
}

export function sandboxFromInspect(i: ContainerInspect): PodSandbox {
  const { labels, annotations } = fromDockerLabels(i.Config.Labels);
  return {
    id: i.Id,
    metadata: sandboxMetadataOf(i.Config.Labels),
    state: toSandboxState(i.State.Status),
    createdAt: dockerTimeToNs(i.Created),
    labels,
    annotations,
  };
}

/** The terminated reason of an exited container, '' while it has not exited. */
export function exitReason(state: ContainerState, s: EngineContainerState): string {
  if (state !== 'CONTAINER_EXITED') return '';
  if (s.OOMKilled) return 'OOMKilled';
  if (s.ExitCode === 0) return 'Completed';
  if (dockerTimeToNs(s.StartedAt) === 0) return 'ContainerCannotRun';
  return 'Error';
}

export function statusFromInspect(i: ContainerInspect): ContainerStatus {
  const { labels, annotations } = fromDockerLabels(i.Config.Labels);
  const state = toContainerState(i.State.Status);
  const startedAt = dockerTimeToNs(i.State.StartedAt);
  return {
    id: i.Id,
    podSandboxId: i.Config.Labels[LABEL_SANDBOX_ID] ?? '',
    metadata: containerMetadataOf(i.Config.Labels),
    image: { image: i.Config.Image },
    imageRef: i.Image,
    state,
    createdAt: dockerTimeToNs(i.Created),
    startedAt,
    // Docker stamps StartedAt after runc start returns, so a quick exit can finish "before" it started.
    finishedAt: state === 'CONTAINER_EXITED' ? Math.max(startedAt, dockerTimeToNs(i.State.FinishedAt)) : 0,
    exitCode: state === 'CONTAINER_EXITED' ? i.State.ExitCode : 0,
    reason: exitReason(state, i.State),
    message: i.State.Error ?? '',
    logPath: i.Config.Labels[LABEL_LOG_PATH] ?? '',
    labels,
    annotations,
  };
}
