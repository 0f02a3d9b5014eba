/**
 * The containerd pod-start baseline: what a pod costs through raw CRI calls on the node's own
 * containerd right now — RunPodSandbox, CreateContainer, StartContainer, nothing else (no image
 * check, no status reads, no API server) — over the same RemoteRuntime the agent uses. The
 * sandboxes carry the label tk-bench=<run id> (no tinykube labels: the agent leaves them alone) and
 * removeCriPods() stops and removes them by that label; their log directories go with the run's.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ContainerConfig, PodSandboxConfig, RuntimeService } from '../../cri/types.js';

export const CRI_APP_IMAGE = 'docker.io/tinykube/web:1';

export type CriPods = Pick<RuntimeService, 'runPodSandbox' | 'createContainer' | 'startContainer' | 'listPodSandbox' | 'stopPodSandbox' | 'removePodSandbox'>;

export interface CriPodOptions {
  runId: string;
  /** Where the pods' log directories go (removed by removeCriPods). */
  logRoot: string;
}

/** PURE. The sandbox and container configs of one baseline pod. */
export function criPodConfigs(o: CriPodOptions, name: string): { sandbox: PodSandboxConfig; container: ContainerConfig } {
  const sandbox: PodSandboxConfig = {
    metadata: { name, uid: `tk-bench-${o.runId}-${name}`, namespace: 'tk-bench', attempt: 0 },
    hostname: name,
    logDirectory: join(o.logRoot, name),
    labels: { 'tk-bench': o.runId },
  };
  return { sandbox, container: { metadata: { name: 'web', attempt: 0 }, image: { image: CRI_APP_IMAGE }, logPath: 'web/0.log', labels: { 'tk-bench': o.runId } } };
}

/** One pod through raw CRI; returns RunPodSandbox → StartContainer returned, ms. */
export async function runCriPod(rt: CriPods, o: CriPodOptions, name: string): Promise<number> {
  const { sandbox, container } = criPodConfigs(o, name);
  const t0 = performance.now();
  const id = await rt.runPodSandbox(sandbox);
  const cid = await rt.createContainer(id, container, sandbox);
  await rt.startContainer(cid);
  return performance.now() - t0;
}

export interface CriBurst { latenciesMs: number[]; seconds: number; failures: string[] }

/** `pods` pods all at once; failures are collected, not thrown. */
export async function runCriPods(rt: CriPods, o: CriPodOptions, pods: number, prefix: string): Promise<CriBurst> {
  const t0 = performance.now();
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  await Promise.all(Array.from({ length: pods }, async (_, i) => {
    try {
      latenciesMs.push(await runCriPod(rt, o, `${prefix}${i}`));
    } catch (err) {
      failures.push(`CRI pod ${prefix}${i}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }));
  return { latenciesMs, seconds: (performance.now() - t0) / 1000, failures };
}

/** Runs `fn` up to 3 times, 0.5 s apart. */
async function thrice(fn: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fn();
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Stops (CNI DEL) and removes every sandbox of this run, then the log directories; returns how
 * many. A stop or removal that fails is tried again twice, 0.5 s apart: containerd 1.6 refuses a
 * removal while another remover of the same container is in flight ("already in removing state"),
 * and the bridge plugin's DEL once failed with "failed to delete eth0: no such device" with 42
 * sandboxes stopped at once.
 */
export async function removeCriPods(rt: CriPods, o: CriPodOptions): Promise<number> {
  const pods = await rt.listPodSandbox({ labelSelector: { 'tk-bench': o.runId } });
  await Promise.all(pods.map(async (p) => {
    await thrice(() => rt.stopPodSandbox(p.id));
    await thrice(() => rt.removePodSandbox(p.id));
  }));
  await rm(o.logRoot, { recursive: true, force: true });
  return pods.length;
}
