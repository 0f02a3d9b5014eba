/**
 * `crictl stats [ID…]`: CONTAINER, NAME, CPU %, MEM, DISK, INODES for running containers (-a: all),
 * --id/--pod/--label filters, -o json|yaml. As crictl, CPU % is the cumulative CPU time's growth
 * between two samples --seconds apart (default 1; 0 takes the runtime's usageNanoCores instead).
 * Samples come from ListContainerStats when the runtime has it, else ContainerStats per container.
 */
import type { Container, ContainerStats } from '../../../cri/types.js';
import { intFlag, labelSelector, outputFormat, parseArgs } from '../args.js';
import type { FlagSpec } from '../args.js';
import type { Command, CrictlContext } from '../context.js';
import { filterContainers } from '../filters.js';
import { humanSize, renderTable, truncateId } from '../format.js';
import { print } from '../proto-json.js';
import { CriError } from '../../../cri/errors.js';
import { optionalCall } from '../optional-call.js';

const FLAGS: FlagSpec = {
  all: { kind: 'bool', short: 'a' }, id: { kind: 'value' }, pod: { kind: 'value', short: 'p' }, label: { kind: 'multi' },
  output: { kind: 'value', short: 'o' }, seconds: { kind: 'value', short: 's' }, watch: { kind: 'bool', short: 'w' },
};

/** PURE. CPU % from two samples of one container; without a usable pair, the runtime's own rate. */
export function cpuPercent(second: ContainerStats, first?: ContainerStats): number {
  const a = first?.cpu;
  const b = second.cpu;
  if (a !== undefined && b !== undefined && b.timestamp > a.timestamp) {
    return ((b.usageCoreNanoSeconds - a.usageCoreNanoSeconds) / (b.timestamp - a.timestamp)) * 100;
  }
  return (b?.usageNanoCores ?? 0) / 1e7;
}

/** PURE. One table row; sizes with go-units HumanSize (four significant digits). */
export function statsRow(s: ContainerStats, first?: ContainerStats): string[] {
  return [truncateId(s.id), s.metadata.name, cpuPercent(s, first).toFixed(2), humanSize(s.memory?.workingSetBytes ?? 0, 4),
    humanSize(s.writableLayer?.usedBytes ?? 0, 4), String(s.writableLayer?.inodesUsed ?? 0)];
}

function statsJson(s: ContainerStats): object {
  const v = (n: number | undefined) => ({ value: String(n ?? 0) });
  return {
    attributes: { id: s.id, metadata: s.metadata, labels: s.labels, annotations: {} },
    cpu: { timestamp: String(s.cpu?.timestamp ?? 0), usageCoreNanoSeconds: v(s.cpu?.usageCoreNanoSeconds), usageNanoCores: v(s.cpu?.usageNanoCores) },
    memory: { timestamp: String(s.memory?.timestamp ?? 0), workingSetBytes: v(s.memory?.workingSetBytes), availableBytes: v(s.memory?.availableBytes),
      usageBytes: v(s.memory?.usageBytes), rssBytes: v(s.memory?.rssBytes), pageFaults: v(s.memory?.pageFaults), majorPageFaults: v(s.memory?.majorPageFaults) },
    writableLayer: { timestamp: String(s.writableLayer?.timestamp ?? 0), fsId: null, usedBytes: v(s.writableLayer?.usedBytes), inodesUsed: v(s.writableLayer?.inodesUsed) },
  };
}

async function sample(ctx: CrictlContext, containers: readonly Container[]): Promise<ContainerStats[]> {
  const rt = ctx.runtime;
  const wanted = new Set(containers.map((c) => c.id));
  const all = await optionalCall(rt.listContainerStats?.bind(rt, undefined));
  if (all !== undefined) {
    return containers.map((c) => all.find((s) => s.id === c.id)).filter((s): s is ContainerStats => s !== undefined && wanted.has(s.id));
  }
  if (rt.containerStats === undefined) throw new CriError('Unavailable', 'stats: not supported by this runtime');
  const out: ContainerStats[] = [];
  for (const c of containers) out.push(await rt.containerStats(c.id));
  return out;
}

export const statsCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, FLAGS);
  const format = outputFormat(p);
  const seconds = intFlag(p, 'seconds', 1);
  const labels = labelSelector(p);
  const listed = await ctx.runtime.listContainers({ ...(p.has('all') ? {} : { state: 'CONTAINER_RUNNING' as const }), ...(labels === undefined ? {} : { labelSelector: labels }) });
  const ids = [...p.positionals, ...(p.value('id') === undefined ? [] : [p.value('id')!])];
  const items = filterContainers(listed, { ...(p.value('pod') === undefined ? {} : { podPrefix: p.value('pod')! }) })
    .filter((c) => ids.length === 0 || ids.some((i) => c.id.startsWith(i)));
  const first = format === 'table' && seconds > 0 ? await sample(ctx, items) : [];
  if (first.length > 0) await ctx.sleep(seconds * 1000);
  const stats = await sample(ctx, items);
  if (format !== 'table') { ctx.io.out.write(print({ stats: stats.map(statsJson) }, format)); return 0; }
  ctx.io.out.write(renderTable([['CONTAINER', 'NAME', 'CPU %', 'MEM', 'DISK', 'INODES'],
    ...stats.map((s) => statsRow(s, first.find((f) => f.id === s.id)))]));
  return 0;
};
