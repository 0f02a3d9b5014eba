/**
 * PURE: the pod status kubelet would report, from the pod, its runtime state and what the worker
 * knows (waiting reasons from the last sync, probe results): phase (kubelet getPhase), conditions
 * (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled kept), container
 * and init container statuses, IPs, startTime, qosClass kept.
 */
import type { Container, ContainerState, ContainerStateTerminated, ContainerStatus as ApiContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../control/util/clock.js';
import type { ContainerStatus } from '../cri/types.js';
import { instancesOf, latestOf, nsToMs } from './runtime-state.js';
import type { PodRuntimeState } from './runtime-state.js';

/** A waiting reason the last sync found for a container (ErrImagePull, CrashLoopBackOff, …). */
export interface ContainerNote { reason: string; message: string }

export interface StatusInputs {
  pod: Pod;
  state: PodRuntimeState;
  runtimeName: string;
  hostIP: string;
  podIP?: string;
  sandboxReady: boolean;
  notes: ReadonlyMap<string, ContainerNote>;
  /** Readiness of a running container (true when it has no readiness probe). */
  isReady(containerId: string): boolean;
  /** Startup of a running container (true when it has no startup probe). */
  isStarted(containerId: string): boolean;
  now: Date;
  /** Exited container id → its termination message (termination-message.ts); else the runtime's message. */
  messages?: ReadonlyMap<string, string>;
}

const time = (ns: number): string => rfc3339(new Date(nsToMs(ns)));

function terminated(c: ContainerStatus, i: StatusInputs): ContainerState {
  const t: ContainerStateTerminated = { exitCode: c.exitCode, reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'), containerID: `${i.runtimeName}://${c.id}` };
  const message = i.messages?.get(c.id) ?? c.message;
  if (message) t.message = message;
  if (c.startedAt) t.startedAt = time(c.startedAt);
  if (c.finishedAt) t.finishedAt = time(c.finishedAt);
  return { terminated: t };
}

function containerStatus(i: StatusInputs, spec: Container, defaultWaiting: string, role: 'init' | 'app'): ApiContainerStatus {
  const all = instancesOf(i.state, spec.name);
  const latest = all[0];
  const previous = all.find((c) => c !== latest && c.state === 'CONTAINER_EXITED');
  const note = i.notes.get(spec.name);
  const s: ApiContainerStatus = {
    name: spec.name, image: spec.image ?? '', imageID: latest?.imageRef ?? '', restartCount: latest?.metadata.attempt ?? 0,
    ready: false, started: false, state: {}, lastState: {},
  };
  if (latest) s.containerID = `${i.runtimeName}://${latest.id}`;
  if (previous) s.lastState = terminated(previous, i);
  if (latest?.state === 'CONTAINER_RUNNING') {
    s.state = { running: { startedAt: time(latest.startedAt) } };
    s.started = i.isStarted(latest.id);
    s.ready = s.started && i.isReady(latest.id);
  } else if (latest?.state === 'CONTAINER_EXITED' && !note) {
    s.state = terminated(latest, i);
    // an init container that completed is ready (upstream probe manager UpdatePodStatus)
    s.ready = role === 'init' && latest.exitCode === 0;
  } else {
    if (latest?.state === 'CONTAINER_EXITED') s.lastState = terminated(latest, i);
    s.state = { waiting: note ? { reason: note.reason, ...(note.message ? { message: note.message } : {}) } : { reason: defaultWaiting } };
  }
  return s;
}

function condition(old: PodCondition[] | undefined, type: string, ok: boolean, now: Date, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const prev = old?.find((c) => c.type === type);
  return {
    type, status, lastProbeTime: null as unknown as string,
    lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now),
    ...(reason ? { reason } : {}), ...(message ? { message } : {}),
  };
}

/** The conditions the kubelet writes; any other (PodScheduled, DisruptionTarget, readiness gates) is someone else's and kept. */
export const KUBELET_CONDITIONS: ReadonlySet<string> = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

/** Why the readiness gates hold the pod back (upstream GeneratePodReadyCondition); empty when they all are True. */
export function unreadyGates(pod: Pod): string[] {
  const out: string[] = [];
  for (const g of pod.spec?.readinessGates ?? []) {
    const c = pod.status?.conditions?.find((x) => x.type === g.conditionType);
    if (!c) out.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') out.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  return out;
}

const exitedOk = (c: ContainerStatus | undefined) => c?.state === 'CONTAINER_EXITED' && c.exitCode === 0;

/** kubelet's getPhase over the computed statuses. */
export function podPhase(pod: Pod, init: ApiContainerStatus[], app: ApiContainerStatus[], initDone: boolean): PodStatus['phase'] {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (!initDone) {
    const failed = init.some((s) => s.state?.terminated && s.state.terminated.exitCode !== 0);
    return failed && policy === 'Never' ? 'Failed' : 'Pending';
  }
  let running = 0; let waiting = 0; let stopped = 0; let succeeded = 0;
  for (const s of app) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) { stopped++; if (s.state.terminated.exitCode === 0) succeeded++; }
    else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

export function computePodStatus(i: StatusInputs): PodStatus {
  const { pod, now } = i;
  const old = pod.status ?? {};
  const initSpecs = pod.spec?.initContainers ?? [];
  const initDone = initSpecs.every((c) => exitedOk(latestOf(i.state, c.name)));
  const initStatuses = initSpecs.map((c) => containerStatus(i, c, 'PodInitializing', 'init'));
  const appStatuses = (pod.spec?.containers ?? []).map((c) => containerStatus(i, c, initDone ? 'ContainerCreating' : 'PodInitializing', 'app'));
  let phase = podPhase(pod, initStatuses, appStatuses, initDone);
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;
  const completed = phase === 'Succeeded';
  const incompleteInit = initSpecs.filter((c) => !exitedOk(latestOf(i.state, c.name))).map((c) => c.name);
  const unready = appStatuses.filter((s) => !s.ready).map((s) => s.name);
  const conds = old.conditions;
  const gates = unready.length === 0 && !completed ? unreadyGates(pod) : [];
  const conditions: PodCondition[] = [
    condition(conds, 'PodReadyToStartContainers', i.sandboxReady, now),
    initDone ? condition(conds, 'Initialized', true, now, completed ? 'PodCompleted' : undefined)
      : condition(conds, 'Initialized', false, now, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
    unready.length === 0 && gates.length > 0 ? condition(conds, 'Ready', false, now, 'ReadinessGatesNotReady', gates.join(', '))
      : unready.length === 0 ? condition(conds, 'Ready', true, now)
      : condition(conds, 'Ready', false, now, completed ? 'PodCompleted' : 'ContainersNotReady', completed ? undefined : `containers with unready status: [${unready.join(' ')}]`),
    unready.length === 0 ? condition(conds, 'ContainersReady', true, now)
      : condition(conds, 'ContainersReady', false, now, completed ? 'PodCompleted' : 'ContainersNotReady', completed ? undefined : `containers with unready status: [${unready.join(' ')}]`),
    condition(conds, 'PodScheduled', true, now),
    ...(conds ?? []).filter((c) => c.type !== 'PodScheduled' && !KUBELET_CONDITIONS.has(c.type)),
  ];
  const podIP = i.podIP || old.podIP;
  const status: PodStatus = {
    phase, conditions, hostIP: i.hostIP, hostIPs: [{ ip: i.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: old.startTime ?? rfc3339(now),
    ...(initSpecs.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: appStatuses,
    ...(old.qosClass ? { qosClass: old.qosClass } : {}),
    // why a pod failed (DeadlineExceeded, Evicted) stays with its terminal phase
    ...(phase === old.phase && (phase === 'Failed' || phase === 'Succeeded') && old.reason ? { reason: old.reason, ...(old.message ? { message: old.message } : {}) } : {}),
  };
  return status;
}
