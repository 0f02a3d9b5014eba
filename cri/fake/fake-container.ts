/** One FakeRuntime container: its CRI status, config, log and exit; and the list view of many. */
import type { Container, ContainerConfig, ContainerFilter, ContainerStatus, LogLine } from '../types.js';
import { matchesLabels, nowNs } from './fake-sandboxes.js';

export interface FakeContainer {
  c: ContainerStatus;
  config: ContainerConfig;
  timer?: NodeJS.Timeout;
  logs: LogLine[];
  /** Resolves with the exit code when the container exits (or is removed). */
  exited: Promise<number>;
  onExit(code: number): void;
}

export function newFakeContainer(o: { id: string; podSandboxId: string; config: ContainerConfig; imageRef: string }): FakeContainer {
  const { id, podSandboxId, config } = o;
  let onExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => { onExit = resolve; });
  return {
    config, logs: [], exited, onExit,
    c: { id, podSandboxId, metadata: { ...config.metadata }, image: { ...config.image }, imageRef: o.imageRef, state: 'CONTAINER_CREATED',
      createdAt: nowNs(), labels: { ...(config.labels ?? {}) }, annotations: { ...(config.annotations ?? {}) },
      startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', message: '', logPath: config.logPath ?? '' },
  };
}

/** PURE. The containers a ContainerFilter selects, as listContainers returns them (copies). */
export function listView(all: Iterable<FakeContainer>, filter: ContainerFilter): Container[] {
  return [...all].map((f) => f.c)
    .filter((c) => (!filter.id || c.id === filter.id) && (!filter.podSandboxId || c.podSandboxId === filter.podSandboxId)
      && (!filter.state || c.state === filter.state) && matchesLabels(c.labels, filter.labelSelector))
    .map(({ id, podSandboxId, metadata, image, imageRef, state, createdAt, labels, annotations }) =>
      structuredClone({ id, podSandboxId, metadata, image, imageRef, state, createdAt, labels, annotations }));
}

/** PURE. Containers of a pod (by its name label), any state, oldest first. */
export function containersOfPod(all: Iterable<FakeContainer>, podName: string, containerName?: string): ContainerStatus[] {
  return [...all].map((f) => f.c)
    .filter((c) => c.labels['io.kubernetes.pod.name'] === podName && (containerName === undefined || c.metadata.name === containerName))
    .sort((a, b) => a.createdAt - b.createdAt || a.metadata.attempt - b.metadata.attempt);
}

/** CREATED → EXITED without running: the start failed (exit code 128, ContainerCannotRun). */
export function markCannotRun(fc: FakeContainer, message: string): void {
  Object.assign(fc.c, { state: 'CONTAINER_EXITED', exitCode: 128, reason: 'ContainerCannotRun', message, finishedAt: nowNs() });
  fc.onExit(128);
}

/** RUNNING → EXITED with `exitCode`, reason OOMKilled, Completed or Error; wakes exit waiters. */
export function markExited(fc: FakeContainer, exitCode: number, oom: boolean): void {
  clearTimeout(fc.timer);
  const reason = oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
  Object.assign(fc.c, { state: 'CONTAINER_EXITED', exitCode, reason, finishedAt: nowNs() });
  fc.onExit(exitCode);
}

/** PURE. Output text → log lines (without newlines), stdout first. */
export function outputLines(output: { stdout?: string; stderr?: string } = {}): Array<{ stream: 'stdout' | 'stderr'; line: string }> {
  return (['stdout', 'stderr'] as const).flatMap((stream) => (output[stream] ?? '').split('\n').slice(0, -1).map((line) => ({ stream, line })));
}
