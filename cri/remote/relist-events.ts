/**
 * RuntimeEvents by relisting, for runtimes without GetContainerEvents (containerd 1.6 answers
 * UNIMPLEMENTED): list the containers every interval and diff against the last list. A container
 * seen for the first time is `created` (and `started`/`stopped` as far as its state went); one that
 * left CREATED was `started`; one that reached EXITED was `stopped` (a container that started and
 * exited between two lists yields both); one that vanished was `deleted`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Container, ContainerState, RuntimeEvent } from '../types.js';

export interface SeenContainer { state: ContainerState; podSandboxId: string; podUid?: string }

const POD_UID_LABEL = 'io.kubernetes.pod.uid';

function stepsBetween(from: ContainerState | undefined, to: ContainerState): RuntimeEvent['type'][] {
  const out: RuntimeEvent['type'][] = from === undefined ? ['created'] : [];
  const wasStarted = from === 'CONTAINER_RUNNING' || from === 'CONTAINER_EXITED';
  if (!wasStarted && (to === 'CONTAINER_RUNNING' || to === 'CONTAINER_EXITED')) out.push('started');
  if (from !== 'CONTAINER_EXITED' && to === 'CONTAINER_EXITED') out.push('stopped');
  return out;
}

/** PURE. The events that lead from `prev` to the listing `next`, and the new `prev`. */
export function diffContainers(prev: ReadonlyMap<string, SeenContainer>, next: readonly Container[]):
  { events: RuntimeEvent[]; seen: Map<string, SeenContainer> } {
  const events: RuntimeEvent[] = [];
  const seen = new Map<string, SeenContainer>();
  for (const c of next) {
    const podUid = c.labels[POD_UID_LABEL];
    const now: SeenContainer = { state: c.state, podSandboxId: c.podSandboxId, ...(podUid === undefined ? {} : { podUid }) };
    seen.set(c.id, now);
    for (const type of stepsBetween(prev.get(c.id)?.state, c.state)) {
      events.push({ containerId: c.id, podSandboxId: c.podSandboxId, ...(podUid === undefined ? {} : { podUid }), type });
    }
  }
  for (const [id, was] of prev) {
    if (!seen.has(id)) events.push({ containerId: id, podSandboxId: was.podSandboxId, ...(was.podUid === undefined ? {} : { podUid: was.podUid }), type: 'deleted' });
  }
  return { events, seen };
}

export interface RelistOptions {
  list(): Promise<Container[]>;
  intervalMs: number;
  /** A failed relist is retried at the next tick; this hears about it. */
  onError?(err: unknown): void;
}

/** Events from the moment of the call (the first list is the baseline) until `signal` aborts. */
export async function* relistEvents(o: RelistOptions, signal: AbortSignal): AsyncGenerator<RuntimeEvent> {
  if (signal.aborted) return;
  let seen = diffContainers(new Map(), await o.list()).seen;
  for (;;) {
    try {
      await sleep(o.intervalMs, undefined, { signal });
    } catch {
      return; // aborted: the iteration ends quietly, as the contract says
    }
    let next: Container[];
    try {
      next = await o.list();
    } catch (err) {
      if (signal.aborted) return;
      o.onError?.(err);
      continue;
    }
    const d = diffContainers(seen, next);
    seen = d.seen;
    for (const e of d.events) {
      if (signal.aborted) return;
      yield e;
    }
  }
}
