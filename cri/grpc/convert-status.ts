/**
 * Sandboxes, containers, their statuses and list filters: contract ↔ wire. Times are ns numbers in
 * the contract and int64 strings on the wire.
 */
import type {
  Container, ContainerFilter, ContainerState, ContainerStatus, PodSandbox, PodSandboxFilter, PodSandboxState,
  PodSandboxStatus, RuntimeEvent,
} from '../types.js';
import { mountToWire, mountsFromWire, resourcesFromWire, resourcesToWire } from './convert-security.js';
import { compact, i64, num, optList, optMap, optStr, strMap } from './convert-values.js';
import type {
  Maybe, WContainer, WContainerEvent, WContainerFilter, WContainerStatus, WPodSandbox, WPodSandboxFilter,
  WPodSandboxMetadata, WPodSandboxStatus,
} from './wire.js';

const CONTAINER_STATES: readonly string[] = ['CONTAINER_CREATED', 'CONTAINER_RUNNING', 'CONTAINER_EXITED', 'CONTAINER_UNKNOWN'];
export const containerStateFromWire = (s: Maybe<string>): ContainerState =>
  s !== null && s !== undefined && CONTAINER_STATES.includes(s) ? (s as ContainerState) : 'CONTAINER_CREATED';
export const sandboxStateFromWire = (s: Maybe<string>): PodSandboxState => (s === 'SANDBOX_NOTREADY' ? 'SANDBOX_NOTREADY' : 'SANDBOX_READY');

const sandboxMetadataFromWire = (m: Maybe<WPodSandboxMetadata>): PodSandbox['metadata'] =>
  ({ name: m?.name ?? '', uid: m?.uid ?? '', namespace: m?.namespace ?? '', attempt: m?.attempt ?? 0 });

export const podSandboxToWire = (s: PodSandbox): WPodSandbox => ({
  id: s.id, metadata: { ...s.metadata }, state: s.state, created_at: i64(s.createdAt),
  labels: strMap(s.labels), annotations: strMap(s.annotations), runtime_handler: s.runtimeHandler ?? '',
});
export const podSandboxFromWire = (w: WPodSandbox): PodSandbox => ({
  id: w.id ?? '', metadata: sandboxMetadataFromWire(w.metadata), state: sandboxStateFromWire(w.state),
  createdAt: num(w.created_at), labels: strMap(w.labels), annotations: strMap(w.annotations),
  ...compact({ runtimeHandler: optStr(w.runtime_handler) }),
});

export function podSandboxStatusToWire(s: PodSandboxStatus): WPodSandboxStatus {
  const { runtime_handler, ...base } = podSandboxToWire(s);
  return {
    ...base, runtime_handler,
    network: s.network === undefined ? undefined : { ip: s.network.ip, additional_ips: (s.network.additionalIps ?? []).map((ip) => ({ ip })) },
  };
}
export function podSandboxStatusFromWire(w: WPodSandboxStatus): PodSandboxStatus {
  const net = w.network;
  return {
    ...podSandboxFromWire(w),
    ...compact({
      network: net === null || net === undefined ? undefined : {
        ip: net.ip ?? '',
        ...compact({ additionalIps: optList(net.additional_ips)?.map((a) => a.ip ?? '') }),
      },
    }),
  };
}

export const containerToWire = (c: Container): WContainer => ({
  id: c.id, pod_sandbox_id: c.podSandboxId, metadata: { ...c.metadata }, image: { image: c.image.image, annotations: {} },
  image_ref: c.imageRef, state: c.state, created_at: i64(c.createdAt), labels: strMap(c.labels), annotations: strMap(c.annotations),
});
export const containerFromWire = (w: WContainer): Container => ({
  id: w.id ?? '', podSandboxId: w.pod_sandbox_id ?? '', metadata: { name: w.metadata?.name ?? '', attempt: w.metadata?.attempt ?? 0 },
  image: { image: w.image?.image ?? '' }, imageRef: w.image_ref ?? '', state: containerStateFromWire(w.state),
  createdAt: num(w.created_at), labels: strMap(w.labels), annotations: strMap(w.annotations),
});

export const containerStatusToWire = (s: ContainerStatus): WContainerStatus => ({
  id: s.id, metadata: { ...s.metadata }, state: s.state, created_at: i64(s.createdAt), started_at: i64(s.startedAt),
  finished_at: i64(s.finishedAt), exit_code: s.exitCode, image: { image: s.image.image, annotations: {} }, image_ref: s.imageRef,
  reason: s.reason, message: s.message, labels: strMap(s.labels), annotations: strMap(s.annotations),
  mounts: (s.mounts ?? []).map(mountToWire), log_path: s.logPath,
  resources: s.resources === undefined ? undefined : { linux: resourcesToWire(s.resources) },
});
/** `podSandboxId`: ContainerStatus on the wire does not carry it; callers that know it pass it in. */
export function containerStatusFromWire(w: WContainerStatus, podSandboxId = ''): ContainerStatus {
  return {
    id: w.id ?? '', podSandboxId, metadata: { name: w.metadata?.name ?? '', attempt: w.metadata?.attempt ?? 0 },
    image: { image: w.image?.image ?? '' }, imageRef: w.image_ref ?? '', state: containerStateFromWire(w.state),
    createdAt: num(w.created_at), labels: strMap(w.labels), annotations: strMap(w.annotations),
    startedAt: num(w.started_at), finishedAt: num(w.finished_at), exitCode: w.exit_code ?? 0,
    reason: w.reason ?? '', message: w.message ?? '', logPath: w.log_path ?? '',
    ...compact({ mounts: mountsFromWire(w.mounts), resources: resourcesFromWire(w.resources?.linux) }),
  };
}

export const podSandboxFilterToWire = (f: PodSandboxFilter | undefined): WPodSandboxFilter | undefined =>
  f === undefined ? undefined : { id: f.id ?? '', state: f.state === undefined ? undefined : { state: f.state }, label_selector: strMap(f.labelSelector) };
export const podSandboxFilterFromWire = (w: Maybe<WPodSandboxFilter>): PodSandboxFilter | undefined =>
  w === null || w === undefined ? undefined : compact<PodSandboxFilter>({
    id: optStr(w.id), state: w.state === null || w.state === undefined ? undefined : sandboxStateFromWire(w.state.state),
    labelSelector: optMap(w.label_selector),
  }) ?? {};

export const containerFilterToWire = (f: ContainerFilter | undefined): WContainerFilter | undefined =>
  f === undefined ? undefined : {
    id: f.id ?? '', pod_sandbox_id: f.podSandboxId ?? '', state: f.state === undefined ? undefined : { state: f.state },
    label_selector: strMap(f.labelSelector),
  };
export const containerFilterFromWire = (w: Maybe<WContainerFilter>): ContainerFilter | undefined =>
  w === null || w === undefined ? undefined : compact<ContainerFilter>({
    id: optStr(w.id), podSandboxId: optStr(w.pod_sandbox_id),
    state: w.state === null || w.state === undefined ? undefined : containerStateFromWire(w.state.state),
    labelSelector: optMap(w.label_selector),
  }) ?? {};

const EVENT_TYPES = {
  CONTAINER_CREATED_EVENT: 'created', CONTAINER_STARTED_EVENT: 'started', CONTAINER_STOPPED_EVENT: 'stopped', CONTAINER_DELETED_EVENT: 'deleted',
} as const satisfies Record<string, RuntimeEvent['type']>;
type WireEventType = keyof typeof EVENT_TYPES;

/** A GetContainerEvents message as a RuntimeEvent (sandbox and pod UID from the sandbox status). */
export function containerEventFromWire(w: WContainerEvent): RuntimeEvent {
  const type = EVENT_TYPES[(w.container_event_type ?? 'CONTAINER_CREATED_EVENT') as WireEventType] ?? 'created';
  const sb = w.pod_sandbox_status;
  return {
    containerId: w.container_id ?? '', type,
    ...compact({ podSandboxId: optStr(sb?.id), podUid: optStr(sb?.metadata?.uid) }),
  };
}
/** A RuntimeEvent as a GetContainerEvents message (the server side fills statuses when it has them). */
export function containerEventToWire(e: RuntimeEvent, createdAtNs: number, sandbox?: PodSandboxStatus): WContainerEvent {
  const wireType = (Object.keys(EVENT_TYPES) as WireEventType[]).find((k) => EVENT_TYPES[k] === e.type) ?? 'CONTAINER_CREATED_EVENT';
  const fallback: WPodSandboxStatus | undefined = e.podSandboxId === undefined ? undefined
    : { id: e.podSandboxId, metadata: { uid: e.podUid ?? '', name: '', namespace: '', attempt: 0 } };
  return {
    container_id: e.containerId, container_event_type: wireType, created_at: i64(createdAtNs),
    pod_sandbox_status: sandbox !== undefined ? podSandboxStatusToWire(sandbox) : fallback, containers_statuses: [],
  };
}
