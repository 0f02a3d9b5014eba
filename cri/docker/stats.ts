/**
 * ContainerStats on Docker: one `docker stats --no-stream` sample (CPU rate from Docker's own two
 * samples, working set = usage minus inactive file pages, as the kubelet computes it) plus the
 * writable layer size. Docker reports no inode counts.
 */
import type { ContainerStats } from '../types.js';
import type { DockerContext } from './context.js';
import type { EngineContainerStats } from './engine/types.js';
import { docker as call } from './errors.js';
import { containerStatus } from './container.js';

/** PURE. Docker's stats record → CPU and memory in CRI terms. */
export function cpuAndMemory(s: EngineContainerStats): Pick<ContainerStats, 'cpu' | 'memory'> {
  const ts = Date.parse(s.read) * 1e6;
  const prev = Date.parse(s.preread);
  const usage = s.cpu_stats.cpu_usage.total_usage;
  const dtNs = (Date.parse(s.read) - prev) * 1e6;
  const rate = Number.isFinite(prev) && prev > 0 && dtNs > 0
    ? Math.max(0, Math.round((usage - s.precpu_stats.cpu_usage.total_usage) / dtNs * 1e9)) : undefined;
  const st = s.memory_stats.stats ?? {};
  const inactive = st.inactive_file ?? st.total_inactive_file ?? 0;
  const workingSet = Math.max(0, (s.memory_stats.usage ?? 0) - inactive);
  return {
    cpu: { timestamp: ts, usageCoreNanoSeconds: usage, ...(rate === undefined ? {} : { usageNanoCores: rate }) },
    memory: { timestamp: ts, workingSetBytes: workingSet },
  };
}

export async function containerStats(ctx: DockerContext, id: string): Promise<ContainerStats> {
  const status = await containerStatus(ctx, id);
  const [raw, size] = await Promise.all([
    call(`stats container ${id}`, () => ctx.docker.containerStats(status.id)),
    call(`size container ${id}`, () => ctx.docker.containerSizeRw(status.id)),
  ]);
  const sample = cpuAndMemory(raw);
  return {
    id: status.id, metadata: status.metadata, labels: status.labels, ...sample,
    writableLayer: { timestamp: sample.cpu?.timestamp ?? Date.now() * 1e6, usedBytes: size },
  };
}
