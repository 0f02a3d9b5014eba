/**
 * Pod sandbox stats for a backend that measures containers but not pods (Docker): a pod's CPU and
 * memory are the sums over its running containers (the sandbox's own pause process, a few hundred
 * KiB, is not counted; no network figures). A backend with its own pod stats is asked directly.
 */
import { CriError, isNotFound } from '../../cri/errors.js';
import type { ContainerStats, ContainerStatsFilter, PodSandbox, PodSandboxStats, PodSandboxStatsFilter } from '../../cri/types.js';
import type { ServedRuntime } from './context.js';

/** Stats of the running containers the filter selects (ListContainerStats over containerStats). */
export async function listContainerStats(runtime: ServedRuntime, filter: ContainerStatsFilter | undefined): Promise<ContainerStats[]> {
  if (runtime.listContainerStats) return runtime.listContainerStats(filter);
  const stats = runtime.containerStats?.bind(runtime);
  if (!stats) throw new CriError('Unimplemented', 'ListContainerStats is not implemented: the runtime does not measure containers');
  const running = await runtime.listContainers({ ...filter, state: 'CONTAINER_RUNNING' });
  const all = await Promise.all(running.map((c) => stats(c.id).catch((err: unknown) => {
    if (isNotFound(err)) return undefined; // gone since the list
    throw err;
  })));
  return all.filter((s) => s !== undefined);
}

/** PURE. The pod's totals from its containers' stats. */
export function sumPodStats(sandbox: PodSandbox, containers: ContainerStats[]): PodSandboxStats {
  const cpus = containers.flatMap((c) => (c.cpu ? [c.cpu] : []));
  const mems = containers.flatMap((c) => (c.memory ? [c.memory] : []));
  const latest = (ts: number[]) => Math.max(0, ...ts);
  const out: PodSandboxStats = { id: sandbox.id, metadata: sandbox.metadata, labels: sandbox.labels, annotations: sandbox.annotations, containers };
  if (cpus.length > 0) {
    out.cpu = { timestamp: latest(cpus.map((c) => c.timestamp)), usageCoreNanoSeconds: cpus.reduce((n, c) => n + c.usageCoreNanoSeconds, 0) };
    if (cpus.every((c) => c.usageNanoCores !== undefined)) out.cpu.usageNanoCores = cpus.reduce((n, c) => n + (c.usageNanoCores ?? 0), 0);
  }
  if (mems.length > 0) out.memory = { timestamp: latest(mems.map((m) => m.timestamp)), workingSetBytes: mems.reduce((n, m) => n + m.workingSetBytes, 0) };
  return out;
}

async function statsOf(runtime: ServedRuntime, sandbox: PodSandbox): Promise<PodSandboxStats> {
  return sumPodStats(sandbox, await listContainerStats(runtime, { podSandboxId: sandbox.id }));
}

export async function podSandboxStats(runtime: ServedRuntime, podSandboxId: string): Promise<PodSandboxStats> {
  if (runtime.podSandboxStats) return runtime.podSandboxStats(podSandboxId);
  const sandbox = await runtime.podSandboxStatus(podSandboxId);
  return statsOf(runtime, sandbox);
}

export async function listPodSandboxStats(runtime: ServedRuntime, filter: PodSandboxStatsFilter | undefined): Promise<PodSandboxStats[]> {
  if (runtime.listPodSandboxStats) return runtime.listPodSandboxStats(filter);
  const sandboxes = await runtime.listPodSandbox(filter);
  return Promise.all(sandboxes.map((s) => statsOf(runtime, s)));
}
