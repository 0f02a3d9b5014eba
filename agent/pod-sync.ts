/**
 * Level-based sync of one pod (kubelet's SyncPod): from the pod spec and what the runtime has,
 * decide and act — sandbox, volumes and /etc/hosts, init containers in order, app containers
 * with restart policy and CrashLoopBackOff, liveness/startup kills — then compute the status.
 * Nothing is remembered between syncs except backoffs and probe results: run it again and it
 * does only what is still missing.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Logger } from 'pino';
import type { KubeObject } from '../control/api/object.js';
import type { RestClient } from '../control/client/rest-client.js';
import type { Clock } from '../control/util/clock.js';
import type { ContainerStatus, Runtime } from '../cri/types.js';
import type { Backoff } from './backoff.js';
import { DEADLINE_MESSAGE, DEADLINE_REASON, msUntilDeadline } from './active-deadline.js';
import { ContainerKiller } from './container-killer.js';
import { ContainerStarter } from './container-starter.js';
import type { StartContext } from './container-starter.js';
import type { EnvContext } from './env.js';
import { formatDuration } from '../control/util/duration.js';
import type { ImagePuller, PodEventSink } from './image-puller.js';
import { fetchPodRefs } from './pod-refs.js';
import { computePodStatus } from './pod-status.js';
import type { ContainerNote } from './pod-status.js';
import type { ProberManager } from './probes/prober-manager.js';
import type { RuntimeGarbageCollector } from './runtime-gc.js';
import { loadPodRuntime, latestOf, nsToMs, readySandbox } from './runtime-state.js';
import type { PodRuntimeState } from './runtime-state.js';
import { containerHash, makeSandboxConfig, podLogDirectory } from './sandbox-config.js';
import { CONTAINER_HASH_ANNOTATION } from './labels.js';
import type { ServiceLister } from './service-env.js';
import { TerminationMessages } from './termination-message.js';
import type { TokenSource } from './token-manager.js';
import { mountMemoryVolumes, unmountPodVolumes } from './empty-dir-memory.js';
import type { Mounter } from './mounter.js';
import { etcHostsPath, podDir } from './volume-paths.js';
import { writeIfChanged } from './write-if-changed.js';
import { prepareVolumes, renderEtcHosts, VolumeError } from './volumes.js';
import { ClaimVolumeError, localPathRoot, resolveClaimVolumes } from './claim-volumes.js';

/** A container that ran this long has its crash backoff forgotten. */
export const BACKOFF_RESET_MS = 10 * 60 * 1000;
/** A container log file's name, `<restartCount>.log` (rotated copies add a suffix). */
const LOG_NAME = /^(\d+)\.log/;

export interface PodSyncDeps {
  client: RestClient;
  runtime: Runtime;
  events: PodEventSink;
  prober: ProberManager;
  puller: ImagePuller;
  crashBackoff: Backoff;
  /** Removes dead containers and sandboxes in the background; a failure there never blocks a sync. */
  gc: RuntimeGarbageCollector;
  clock: Clock;
  log: Logger;
  dataDir: string;
  nodeIP: string;
  nodeAllocatable: { cpu: number; memory: number };
  runtimeName: string;
  clusterDNS?: string;
  /** The cluster's services, for the containers' service variables. */
  services?: ServiceLister;
  /** ServiceAccount tokens for projected serviceAccountToken sources. */
  tokens?: TokenSource;
  /** Mounts for emptyDir medium Memory (tmpfs); without it such a volume is a plain directory. */
  mounter?: Mounter;
}

export interface SyncResult { status: PodStatus; requeueAfterMs?: number }

export const shouldRestart = (policy: string | undefined, exitCode: number): boolean =>
  policy === 'Never' ? false : policy === 'OnFailure' ? exitCode !== 0 : true;

export const podDesc = (pod: Pod): string => `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? 'default'}(${pod.metadata?.uid ?? ''})`;

export class PodSyncer {
  private readonly starter: ContainerStarter;
  private readonly messages: TerminationMessages;
  private readonly killer: ContainerKiller;

  constructor(private readonly d: PodSyncDeps) {
    this.messages = new TerminationMessages(d.runtime, d.dataDir);
    this.killer = new ContainerKiller({ runtime: d.runtime, events: d.events, clock: d.clock, nodeIP: d.nodeIP });
    this.starter = new ContainerStarter({ runtime: d.runtime, puller: d.puller, events: d.events, dataDir: d.dataDir, nodeMemoryBytes: d.nodeAllocatable.memory, log: d.log, services: d.services });
  }

  async sync(pod: Pod): Promise<SyncResult> {
    const uid = pod.metadata?.uid ?? '';
    const obj = pod as KubeObject;
    const notes = new Map<string, ContainerNote>();
    let requeue = Infinity;
    const retry = (ms: number) => { requeue = Math.min(requeue, ms); };
    let state = await loadPodRuntime(this.d.runtime, uid);
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    let podIP = '';
    let sandbox = readySandbox(state);
    const left = terminal ? undefined : msUntilDeadline(pod, this.d.clock.now());
    if (left !== undefined && left > 0) retry(left);
    if (left !== undefined && left <= 0) {
      this.d.events.event(obj, 'Normal', DEADLINE_REASON, DEADLINE_MESSAGE);
      await this.stopAll(pod, state, pod.spec?.terminationGracePeriodSeconds ?? 30);
      state = await loadPodRuntime(this.d.runtime, uid);
      const status = await this.status(pod, state, notes, pod.status?.podIP ?? '');
      return { status: { ...status, phase: 'Failed', reason: DEADLINE_REASON, message: DEADLINE_MESSAGE } };
    }
    if (terminal) {
      await this.stopAll(pod, state, pod.spec?.terminationGracePeriodSeconds ?? 30);
      state = await loadPodRuntime(this.d.runtime, uid);
      sandbox = undefined;
    } else {
      const env: EnvContext = { podIP: '', hostIP: this.d.nodeIP, nodeAllocatable: this.d.nodeAllocatable };
      const refs = await fetchPodRefs(this.d.client, pod);
      try {
        refs.claims = await resolveClaimVolumes(this.d.client, pod, localPathRoot(this.d.dataDir)).catch((err: unknown) => {
          throw err instanceof ClaimVolumeError ? new VolumeError(err.volume, err.message) : err;
        });
        await prepareVolumes(pod, refs, this.d.dataDir, env, this.d.tokens);
        if (this.d.mounter) await mountMemoryVolumes(pod, this.d.dataDir, this.d.mounter);
      } catch (err) {
        if (!(err instanceof VolumeError)) throw err;
        this.d.log.warn({ err, pod: podDesc(pod), volume: err.volume }, 'MountVolume.SetUp failed');
        this.d.events.event(obj, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${err.volume}" : ${err.message}`);
        return { status: await this.status(pod, state, notes, ''), requeueAfterMs: 2000 };
      }
      const logDirectory = podLogDirectory(`${this.d.dataDir}/logs`, pod);
      const sandboxConfig = makeSandboxConfig(pod, { attempt: (state.sandboxes[0]?.metadata.attempt ?? -1) + (sandbox ? 0 : 1), logDirectory, clusterDNS: this.d.clusterDNS });
      if (!sandbox) {
        const neverAgain = pod.spec?.restartPolicy === 'Never' && state.containers.length > 0;
        if (neverAgain) return { status: await this.status(pod, state, notes, '') };
        // kubelet's killPodWithSyncResult: stop what is left of the old sandbox, never remove it here — its
        // containers carry the restart count on, and the garbage collector removes it when it can
        await this.stopAll(pod, state, 0);
        await mkdir(logDirectory, { recursive: true });
        try {
          await this.d.runtime.runPodSandbox(sandboxConfig);
        } catch (err) {
          this.d.events.event(obj, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${err instanceof Error ? err.message : String(err)}`);
          return { status: await this.status(pod, state, notes, ''), requeueAfterMs: 2000 };
        }
        state = await loadPodRuntime(this.d.runtime, uid);
        sandbox = readySandbox(state);
        if (!sandbox) return { status: await this.status(pod, state, notes, ''), requeueAfterMs: 1000 };
      }
      podIP = pod.spec?.hostNetwork ? this.d.nodeIP : (await this.d.runtime.podSandboxStatus(sandbox.id)).network?.ip ?? '';
      env.podIP = podIP;
      await writeIfChanged(etcHostsPath(this.d.dataDir, uid), renderEtcHosts(pod, podIP));
      const ctx: StartContext = { pod, sandboxId: sandbox.id, sandboxConfig, refs, env };
      const acted = await this.syncContainers(ctx, state, notes, retry);
      if (acted) state = await loadPodRuntime(this.d.runtime, uid);
      await this.d.gc.collectPod(state);
    }
    const running = state.containers.filter((c) => c.state === 'CONTAINER_RUNNING' && c.podSandboxId === sandbox?.id)
      .map((c) => ({ name: c.metadata.name, containerId: c.id, startedAtMs: nsToMs(c.startedAt) }));
    this.d.prober.update(pod, running, podIP);
    const status = await this.status(pod, state, notes, podIP, !!sandbox);
    if (!terminal && (status.phase === 'Succeeded' || status.phase === 'Failed') && sandbox) {
      await this.d.runtime.stopPodSandbox(sandbox.id);
      status.conditions = status.conditions?.map((c) => c.type === 'PodReadyToStartContainers' ? { ...c, status: 'False' } : c);
    }
    return { status, ...(Number.isFinite(requeue) ? { requeueAfterMs: requeue } : {}) };
  }

  private async status(pod: Pod, state: PodRuntimeState, notes: Map<string, ContainerNote>, podIP: string, sandboxReady = false): Promise<PodStatus> {
    const messages = await this.messages.ofExited(pod, state.containers);
    return computePodStatus({
      pod, state, notes, podIP, sandboxReady, runtimeName: this.d.runtimeName, hostIP: this.d.nodeIP, now: this.d.clock.now(), messages,
      isReady: (id) => this.d.prober.isReady(id), isStarted: (id) => this.d.prober.isStarted(id),
    });
  }

  /** Init containers in order, then app containers; true when anything changed in the runtime. */
  private async syncContainers(ctx: StartContext, state: PodRuntimeState, notes: Map<string, ContainerNote>, retry: (ms: number) => void): Promise<boolean> {
    const { pod } = ctx;
    let acted = false;
    const start = async (c: Container, attempt: number) => {
      acted = true;
      const r = await this.starter.start(ctx, c, attempt);
      if (!r.ok) { notes.set(c.name, r.note); retry(r.retryInMs); }
    };
    for (const c of pod.spec?.initContainers ?? []) {
      const latest = this.current(state, c.name, ctx.sandboxId);
      if (latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
      if (!latest) await start(c, await this.nextAttempt(state, c.name, ctx.sandboxConfig.logDirectory));
      else if (latest.state === 'CONTAINER_CREATED') { await this.d.runtime.removeContainer(latest.id); await start(c, latest.metadata.attempt); }
      else if (latest.state === 'CONTAINER_EXITED' && pod.spec?.restartPolicy !== 'Never') acted = (await this.restart(ctx, c, latest, notes, retry, start)) || acted;
      return acted;
    }
    for (const c of pod.spec?.containers ?? []) {
      let latest = this.current(state, c.name, ctx.sandboxId);
      if (!latest) { await start(c, await this.nextAttempt(state, c.name, ctx.sandboxConfig.logDirectory)); continue; }
      if (latest.state === 'CONTAINER_CREATED') { await this.d.runtime.removeContainer(latest.id); await start(c, latest.metadata.attempt); continue; }
      let force = false;
      if (latest.state === 'CONTAINER_RUNNING') {
        const probe = this.d.prober.mustRestart(latest.id);
        const changed = latest.annotations[CONTAINER_HASH_ANNOTATION] !== undefined && latest.annotations[CONTAINER_HASH_ANNOTATION] !== containerHash(c);
        if (!probe && !changed) continue;
        const why = probe ? `Container ${c.name} failed ${probe.toLowerCase()} probe, will be restarted` : `Container ${c.name} definition changed, will be restarted`;
        this.d.events.event(pod as KubeObject, 'Normal', 'Killing', why);
        await this.killer.kill(pod, latest, pod.spec?.terminationGracePeriodSeconds ?? 30);
        latest = await this.d.runtime.containerStatus(latest.id);
        acted = true;
        force = changed;
      }
      if (force) { await start(c, latest.metadata.attempt + 1); continue; }
      if (shouldRestart(pod.spec?.restartPolicy, latest.exitCode)) acted = (await this.restart(ctx, c, latest, notes, retry, start)) || acted;
    }
    return acted;
  }

  /** Restart an exited container unless it is in CrashLoopBackOff; true when it was started. */
  private async restart(ctx: StartContext, c: Container, latest: ContainerStatus, notes: Map<string, ContainerNote>,
    retry: (ms: number) => void, start: (c: Container, attempt: number) => Promise<void>): Promise<boolean> {
    const key = `${ctx.pod.metadata?.uid ?? ''}/${c.name}`;
    const b = this.d.crashBackoff;
    if (nsToMs(latest.finishedAt) - nsToMs(latest.startedAt) >= BACKOFF_RESET_MS) b.reset(key);
    const finished = nsToMs(latest.finishedAt);
    if (b.inBackoffSince(key, finished)) {
      notes.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${formatDuration(b.get(key))} restarting failed container=${c.name} pod=${podDesc(ctx.pod)}` });
      this.d.events.event(ctx.pod as KubeObject, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podDesc(ctx.pod)}`);
      retry(Math.max(1, b.remaining(key, finished)));
      return false;
    }
    b.next(key);
    await start(c, latest.metadata.attempt + 1);
    return true;
  }

  /** The newest instance of a container in the current sandbox (older sandboxes' containers do not count). */
  private current(state: PodRuntimeState, name: string, sandboxId: string): ContainerStatus | undefined {
    const l = latestOf(state, name);
    return l?.podSandboxId === sandboxId ? l : undefined;
  }

  /**
   * The restart count of a container's next instance (kubelet's startContainer): the newest
   * instance's + 1, in a new sandbox as well; when the runtime kept none (a host reboot on a
   * runtime that forgets, a leftover removed by hand), one more than the highest `<n>.log` in its
   * log directory (calcRestartCountByLogDir); else 0.
   */
  private async nextAttempt(state: PodRuntimeState, name: string, logDirectory: string | undefined): Promise<number> {
    const l = latestOf(state, name);
    if (l) return l.metadata.attempt + 1;
    if (!logDirectory) return 0;
    let files: string[];
    try {
      files = await readdir(join(logDirectory, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0; // no log directory: the container never ran here
      throw err;
    }
    let next = 0;
    for (const f of files) {
      const m = LOG_NAME.exec(f);
      if (m) next = Math.max(next, Number(m[1]) + 1);
    }
    return next;
  }

  /**
   * Drop what is kept about a pod that is gone: probe workers, backoffs, its volume directory and
   * its log directory (kubelet's log GC: a runtime such as containerd leaves the files it wrote).
   */
  async forget(pod: Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    this.d.prober.removePod(uid);
    this.d.crashBackoff.forgetPrefix(`${uid}/`);
    this.d.tokens?.forgetPod(uid);
    this.messages.forgetPod(uid);
    if (!uid) return;
    if (this.d.mounter) await unmountPodVolumes(this.d.dataDir, uid, this.d.mounter);
    await rm(podDir(this.d.dataDir, uid), { recursive: true, force: true });
    await rm(podLogDirectory(`${this.d.dataDir}/logs`, pod), { recursive: true, force: true });
  }

  /** Stop every running container (preStop, SIGTERM, then SIGKILL after `grace` s) and the sandboxes. */
  stopAll(pod: Pod, state: PodRuntimeState, grace: number): Promise<void> {
    return this.killer.killPod(pod, state, grace);
  }

  /**
   * Remove what is left of a pod that is gone, once stopped. Never throws: what cannot be removed
   * now stays with the garbage collector, which retries it with a backoff.
   */
  async removeAll(pod: Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    if (!uid) return;
    let state: PodRuntimeState;
    try {
      state = await loadPodRuntime(this.d.runtime, uid);
    } catch (err) {
      this.d.log.warn({ err, pod: podDesc(pod) }, 'Failed to list a pod for removal; garbage collection removes it later');
      return;
    }
    await this.d.gc.collectGonePod(state);
  }
}
