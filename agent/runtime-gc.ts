/**
 * Container and sandbox garbage collection (kubelet's containerGC), kept off every pod's path:
 * a removal that fails (a busy mount under a dead sandbox, a runtime that is restarting) is
 * logged and tried again later with a backoff per object, and nobody waits for it — a pod whose
 * old sandbox cannot go still gets its new one, an agent with such leftovers still starts.
 *
 * What goes (planRemovals, pure): of a pod that still runs here, the dead instances of a
 * container beyond the newest KEEP_INSTANCES (the newest dead one serves `logs --previous` and
 * the restart count), and its not-ready sandboxes except the newest once no container of theirs
 * is left; of a pod that is gone, everything that does not run. Running things are never
 * removed here: the pod workers and the start-up orphan cleanup stop them first.
 */
import type { Logger } from 'pino';
import type { Clock } from '../control/util/clock.js';
import type { Container, PodSandbox, Runtime } from '../cri/types.js';
import { Backoff } from './backoff.js';
import { MANAGED_LABEL, POD_UID_LABEL } from './labels.js';
import type { PodRuntimeState } from './runtime-state.js';

/** Instances kept per container name of a live pod, running one included (upstream MaxPerPodContainer 1 dead + the live one). */
export const KEEP_INSTANCES = 2;
/** A periodic pass over the whole runtime (upstream ContainerGCPeriod is 1 min). */
export const GC_PERIOD_MS = 60_000;
/** Retry delays of a removal that failed: 1 s doubling to 5 min. */
export const GC_RETRY_INITIAL_MS = 1000;
export const GC_RETRY_MAX_MS = 300_000;

export interface Removals { containers: string[]; sandboxes: string[] }

/** A pod's runtime objects as one list call returns them (no per-container status needed). */
interface PodObjects {
  sandboxes: readonly Pick<PodSandbox, 'id' | 'state' | 'createdAt' | 'metadata'>[];
  containers: readonly Pick<Container, 'id' | 'state' | 'podSandboxId' | 'createdAt' | 'metadata'>[];
}

const MESSAGES = {
  container: { failed: 'Failed to remove container; garbage collection retries it', removed: 'Removed container after earlier failures', field: 'containerId' },
  sandbox: { failed: 'Failed to remove pod sandbox; garbage collection retries it', removed: 'Removed pod sandbox after earlier failures', field: 'podSandboxId' },
} as const;

const newestFirst = (a: { createdAt: number; metadata: { attempt: number } }, b: { createdAt: number; metadata: { attempt: number } }) =>
  b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt;

/** PURE. What to remove of one pod's runtime objects; `live` says whether the pod still runs here. */
export function planRemovals(pod: PodObjects, live: boolean): Removals {
  const containers = [...pod.containers].sort(newestFirst);
  const sandboxes = [...pod.sandboxes].sort(newestFirst);
  const gone = new Set<string>();
  if (!live) {
    for (const c of containers) if (c.state !== 'CONTAINER_RUNNING') gone.add(c.id);
  } else {
    const seen = new Map<string, number>();
    for (const c of containers) {
      const n = (seen.get(c.metadata.name) ?? 0) + 1;
      seen.set(c.metadata.name, n);
      if (n > KEEP_INSTANCES && (c.state === 'CONTAINER_EXITED' || c.state === 'CONTAINER_UNKNOWN')) gone.add(c.id);
    }
  }
  const left = containers.filter((c) => !gone.has(c.id));
  const removable = sandboxes.filter((s, i) => s.state !== 'SANDBOX_READY' && (!live || i > 0) && !left.some((c) => c.podSandboxId === s.id));
  return { containers: [...gone], sandboxes: removable.map((s) => s.id) };
}

export interface RuntimeGcOptions {
  runtime: Runtime;
  log: Logger;
  clock: Clock;
  /** The pods that still run here (uids), or undefined while that is not known yet (no pass runs). */
  livePods(): ReadonlySet<string> | undefined;
  periodMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /**
   * Removes a container's log file and its rotated files before the container goes (the kubelet's
   * removeContainerLog: a CRI runtime leaves the files it wrote). A failure is logged, never blocks.
   */
  removeContainerLog?(containerId: string): Promise<void>;
}

export class RuntimeGarbageCollector {
  private readonly backoff: Backoff;
  /** Object id → when its last removal failed (the backoff's event time). */
  private readonly failed = new Map<string, number>();
  private wakeUp?: () => void;

  constructor(private readonly o: RuntimeGcOptions) {
    this.backoff = new Backoff({ initialMs: o.retryInitialMs ?? GC_RETRY_INITIAL_MS, maxMs: o.retryMaxMs ?? GC_RETRY_MAX_MS, clock: o.clock });
  }

  /** Ids whose removal failed and waits for a retry. */
  get pending(): string[] { return [...this.failed.keys()]; }

  /** Remove what a live pod no longer needs, from a state its worker just loaded. Never throws. */
  collectPod(state: PodRuntimeState): Promise<void> {
    return this.remove(planRemovals(state, true));
  }

  /** Remove everything of a pod that is gone (its containers already stopped). Never throws. */
  collectGonePod(state: PodRuntimeState): Promise<void> {
    return this.remove(planRemovals(state, false));
  }

  /** One pass over everything this agent made in the runtime. Never throws (a failed list is logged). */
  async collect(): Promise<void> {
    if (!this.o.livePods()) return;
    let sandboxes: PodSandbox[];
    let containers: Container[];
    try {
      const sel = { labelSelector: { [MANAGED_LABEL]: 'true' } };
      [sandboxes, containers] = await Promise.all([this.o.runtime.listPodSandbox(sel), this.o.runtime.listContainers(sel)]);
    } catch (err) {
      this.o.log.warn({ err }, 'Failed to list the runtime for garbage collection');
      return;
    }
    // read after the list: a pod's worker exists before it makes anything, so a new pod's objects are never judged gone
    const live = this.o.livePods() ?? new Set<string>();
    const present = new Set([...sandboxes.map((s) => s.id), ...containers.map((c) => c.id)]);
    for (const id of this.failed.keys()) if (!present.has(id)) { this.failed.delete(id); this.backoff.reset(id); } // gone some other way
    const pods = new Map<string, { sandboxes: PodSandbox[]; containers: Container[] }>();
    const of = (uid: string) => pods.get(uid) ?? pods.set(uid, { sandboxes: [], containers: [] }).get(uid)!;
    for (const s of sandboxes) of(s.labels[POD_UID_LABEL] ?? s.metadata.uid).sandboxes.push(s);
    for (const c of containers) of(c.labels[POD_UID_LABEL] ?? '').containers.push(c);
    for (const [uid, pod] of pods) {
      if (uid === '') continue; // not ours to judge without a pod
      await this.remove(planRemovals(pod, live.has(uid)));
    }
  }

  /** Periodic passes, and an early one when a failed removal's backoff is over. */
  async run(signal: AbortSignal): Promise<void> {
    const onAbort = () => this.wakeUp?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        await this.collect();
        const ms = this.o.livePods() ? this.nextPassInMs() : 200; // not started yet: look again soon
        await new Promise<void>((r) => {
          const t = setTimeout(r, ms);
          this.wakeUp = () => { clearTimeout(t); r(); };
        });
        this.wakeUp = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private nextPassInMs(): number {
    let ms = this.o.periodMs ?? GC_PERIOD_MS;
    for (const [id, at] of this.failed) ms = Math.min(ms, this.backoff.remaining(id, at));
    return Math.max(10, ms);
  }

  private async remove(r: Removals): Promise<void> {
    for (const id of r.containers) {
      await this.attempt(id, 'container', async () => {
        await this.o.removeContainerLog?.(id).catch((err: unknown) => this.o.log.debug({ err, containerId: id.slice(0, 12) }, 'Failed to remove container log'));
        await this.o.runtime.removeContainer(id);
      });
    }
    for (const id of r.sandboxes) await this.attempt(id, 'sandbox', () => this.o.runtime.removePodSandbox(id));
  }

  private async attempt(id: string, kind: 'container' | 'sandbox', removal: () => Promise<void>): Promise<void> {
    const m = MESSAGES[kind];
    const at = this.failed.get(id);
    if (at !== undefined && this.backoff.inBackoffSince(id, at)) return;
    try {
      await removal();
      if (at !== undefined) this.o.log.info({ [m.field]: id.slice(0, 12) }, m.removed);
      this.failed.delete(id);
      this.backoff.reset(id);
    } catch (err) {
      const retryInMs = this.backoff.next(id);
      this.failed.set(id, this.o.clock.now().getTime());
      this.o.log.warn({ err, [m.field]: id.slice(0, 12), retryInMs }, m.failed);
    }
  }
}
