/** A pod's sandboxes and containers as the runtime reports them, found by the pod-uid label. */
import type { ContainerStatus, PodSandbox, Runtime } from '../cri/types.js';
import { isNotFound } from '../cri/errors.js';
import { POD_UID_LABEL } from './labels.js';

export interface PodRuntimeState {
  /** Newest first. */
  sandboxes: PodSandbox[];
  /** Every container of the pod, newest first. */
  containers: ContainerStatus[];
}

const newestFirst = (a: { createdAt: number; metadata: { attempt: number } }, b: { createdAt: number; metadata: { attempt: number } }) =>
  b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt;

export async function loadPodRuntime(runtime: Runtime, uid: string): Promise<PodRuntimeState> {
  const sel = { labelSelector: { [POD_UID_LABEL]: uid } };
  const [sandboxes, list] = await Promise.all([runtime.listPodSandbox(sel), runtime.listContainers(sel)]);
  const containers: ContainerStatus[] = [];
  await Promise.all(list.map(async (c) => {
    try { containers.push(await runtime.containerStatus(c.id)); } catch (err) {
      if (!isNotFound(err)) throw err; // removed between list and status: gone is fine
    }
  }));
  return { sandboxes: sandboxes.sort(newestFirst), containers: containers.sort(newestFirst) };
}

/** Instances of one container name, newest first. */
export function instancesOf(state: PodRuntimeState, name: string): ContainerStatus[] {
  return state.containers.filter((c) => c.metadata.name === name);
}

export function latestOf(state: PodRuntimeState, name: string): ContainerStatus | undefined {
  return instancesOf(state, name)[0];
}

export function readySandbox(state: PodRuntimeState): PodSandbox | undefined {
  const s = state.sandboxes[0];
  return s?.state === 'SANDBOX_READY' ? s : undefined;
}

/** Nanoseconds (CRI) → milliseconds. */
export const nsToMs = (ns: number): number => Math.floor(ns / 1e6);
