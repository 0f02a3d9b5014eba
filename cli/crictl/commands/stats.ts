/**
 * `crictl stats [ID…]`: one sample per running container (CONTAINER, NAME, CPU %, MEM, DISK,
 * INODES); -a includes stopped ones, --pod/--label filter, -o json|yaml. The CPU rate is the
 * runtime's own (Docker samples twice), so there is no --seconds wait here.
 */
import type { ContainerStats } from '../../../cri/types.js';
import { labelSelector, outputFormat, parseArgs } from '../args.js';
import type { FlagSpec } from '../args.js';
import type { Command } from '../context.js';
import { filterContainers } from '../filters.js';
import { humanSize, renderTable, truncateId } from '../format.js';
import { print } from '../proto-json.js';
import { CriError } from '../../../cri/errors.js';

const FLAGS: FlagSpec = {
  all: { kind: 'bool', short: 'a' }, id: { kind: 'value' }, pod: { kind: 'value', short: 'p' }, label: { kind: 'multi' },
  output: { kind: 'value', short: 'o' }, seconds: { kind: 'value', short: 's' }, watch: { kind: 'bool', short: 'w' },
};

/** PURE. One table row; sizes with go-units HumanSize (four significant digits). */
export function statsRow(s: ContainerStats): string[] {
  const cpu = s.cpu?.usageNanoCores === undefined ? 0 : s.cpu.usageNanoCores / 1e7;
  return [truncateId(s.id), s.metadata.name, cpu.toFixed(2), humanSize(s.memory?.workingSetBytes ?? 0, 4),
    humanSize(s.writableLayer?.usedBytes ?? 0, 4), String(s.writableLayer?.inodesUsed ?? 0)];
}

function statsJson(s: ContainerStats): object {
  return {
    attributes: { id: s.id, metadata: s.metadata, labels: s.labels, annotations: {} },
    cpu: { timestamp: String(s.cpu?.timestamp ?? 0), usageCoreNanoSeconds: { value: String(s.cpu?.usageCoreNanoSeconds ?? 0) },
      usageNanoCores: { value: String(s.cpu?.usageNanoCores ?? 0) } },
    memory: { timestamp: String(s.memory?.timestamp ?? 0), workingSetBytes: { value: String(s.memory?.workingSetBytes ?? 0) } },
    writableLayer: { timestamp: String(s.writableLayer?.timestamp ?? 0), usedBytes: { value: String(s.writableLayer?.usedBytes ?? 0) },
      inodesUsed: { value: String(s.writableLayer?.inodesUsed ?? 0) } },
  };
}

export const statsCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, FLAGS);
  const format = outputFormat(p);
  const rt = ctx.runtime;
  if (rt.containerStats === undefined) throw new CriError('Unavailable', 'stats: not supported by this runtime');
  const labels = labelSelector(p);
  const listed = await rt.listContainers({ ...(p.has('all') ? {} : { state: 'CONTAINER_RUNNING' as const }), ...(labels === undefined ? {} : { labelSelector: labels }) });
  const ids = [...p.positionals, ...(p.value('id') === undefined ? [] : [p.value('id')!])];
  const items = filterContainers(listed, { ...(p.value('pod') === undefined ? {} : { podPrefix: p.value('pod')! }) })
    .filter((c) => ids.length === 0 || ids.some((i) => c.id.startsWith(i)));
  const stats: ContainerStats[] = [];
  for (const c of items) stats.push(await rt.containerStats(c.id));
  if (format !== 'table') { ctx.io.out.write(print({ stats: stats.map(statsJson) }, format)); return 0; }
  ctx.io.out.write(renderTable([['CONTAINER', 'NAME', 'CPU %', 'MEM', 'DISK', 'INODES'], ...stats.map(statsRow)]));
  return 0;
};
