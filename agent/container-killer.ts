/**
 * Stops containers as the kubelet's killContainer does: a running container with a preStop hook
 * runs it first, within the grace period (a failure is a FailedPreStopHook event, the stop goes
 * on), then the runtime stops it (SIGTERM, SIGKILL after what is left of the grace period, at
 * least 2 s when a hook ran).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../control/api/object.js';
import type { Clock } from '../control/util/clock.js';
import type { Container as RuntimeContainer, Runtime } from '../cri/types.js';
import type { PodEventSink } from './image-puller.js';
import { runHook } from './lifecycle-hooks.js';
import type { PodRuntimeState } from './runtime-state.js';

/** What is left of a grace period after a preStop hook is never less than this (upstream minimumGracePeriodInSeconds). */
export const MIN_GRACE_AFTER_HOOK_S = 2;

export interface ContainerKillerDeps { runtime: Runtime; events: PodEventSink; clock: Clock; nodeIP: string }

export class ContainerKiller {
  constructor(private readonly d: ContainerKillerDeps) {}

  /** Stop one container: its preStop hook when it runs, then SIGTERM and SIGKILL after the grace period left. */
  async kill(pod: Pod, c: RuntimeContainer, graceSeconds: number): Promise<void> {
    let grace = graceSeconds;
    const spec = [...pod.spec?.containers ?? [], ...pod.spec?.initContainers ?? []].find((s) => s.name === c.metadata.name);
    const preStop = spec?.lifecycle?.preStop;
    if (preStop && spec && c.state === 'CONTAINER_RUNNING' && grace > 0) {
      const t0 = this.d.clock.now().getTime();
      const podIP = pod.spec?.hostNetwork ? this.d.nodeIP
        : (await this.d.runtime.podSandboxStatus(c.podSandboxId).catch(() => undefined))?.network?.ip ?? ''; // sandbox gone: no IP
      const md = pod.metadata ?? {};
      const podDesc = `${md.name ?? ''}_${md.namespace ?? 'default'}(${md.uid ?? ''})`;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), grace * 1000); });
      const failed = await Promise.race([runHook(preStop, { runtime: this.d.runtime, containerId: c.id, spec, podDesc, podIP, timeoutSeconds: grace }), deadline]);
      clearTimeout(timer);
      if (failed === 'timeout') this.d.events.event(pod as KubeObject, 'Warning', 'FailedPreStopHook', `PreStopHook failed: timed out after ${grace}s`);
      else if (failed !== undefined) this.d.events.event(pod as KubeObject, 'Warning', 'FailedPreStopHook', failed);
      grace = Math.max(MIN_GRACE_AFTER_HOOK_S, grace - Math.floor((this.d.clock.now().getTime() - t0) / 1000));
    }
    await this.d.runtime.stopContainer(c.id, grace);
  }

  /** Stop every running or created container (in parallel), then the sandboxes. Removal is the garbage collector's (runtime-gc.ts). */
  async killPod(pod: Pod, state: PodRuntimeState, graceSeconds: number): Promise<void> {
    const obj = pod as KubeObject;
    await Promise.all(state.containers.filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED').map(async (c) => {
      if (c.state === 'CONTAINER_RUNNING') this.d.events.event(obj, 'Normal', 'Killing', `Stopping container ${c.metadata.name}`);
      await this.kill(pod, c, graceSeconds);
    }));
    for (const s of state.sandboxes) await this.d.runtime.stopPodSandbox(s.id);
  }
}
