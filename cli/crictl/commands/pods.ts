/** `crictl pods`: POD ID, CREATED, STATE, NAME, NAMESPACE, ATTEMPT, RUNTIME; filters and -q / -o. */
import type { PodSandboxState } from '../../../cri/types.js';
import { intFlag, labelSelector, outputFormat, parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { FlagSpec } from '../args.js';
import type { Command } from '../context.js';
import { filterSandboxes, optional } from '../filters.js';
import { ago, renderTable, truncateId } from '../format.js';
import { print, sandboxJson } from '../proto-json.js';

const FLAGS: FlagSpec = {
  name: { kind: 'value' }, namespace: { kind: 'value' }, state: { kind: 'value', short: 's' }, label: { kind: 'multi' },
  id: { kind: 'value' }, quiet: { kind: 'bool', short: 'q' }, output: { kind: 'value', short: 'o' },
  latest: { kind: 'bool', short: 'l' }, last: { kind: 'value', short: 'n' }, 'no-trunc': { kind: 'bool' },
};

export function sandboxState(s: string | undefined): PodSandboxState | undefined {
  if (s === undefined) return undefined;
  switch (s.toLowerCase()) {
    case 'ready': case 'sandbox_ready': return 'SANDBOX_READY';
    case 'notready': case 'sandbox_notready': return 'SANDBOX_NOTREADY';
    default: throw new UsageError('--state should be ready or notready');
  }
}

export const stateName = (s: PodSandboxState): string => s === 'SANDBOX_READY' ? 'Ready' : 'NotReady';

export const podsCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, FLAGS);
  if (p.positionals.length > 0) throw new UsageError(`pods takes no arguments, got "${p.positionals[0]!}"`);
  const format = outputFormat(p);
  const state = sandboxState(p.value('state'));
  const labels = labelSelector(p);
  const all = await ctx.runtime.listPodSandbox({ ...(state === undefined ? {} : { state }), ...(labels === undefined ? {} : { labelSelector: labels }) });
  const items = filterSandboxes(all, {
    ...optional('name', p.value('name')), ...optional('namespace', p.value('namespace')), ...optional('idPrefix', p.value('id')),
    latest: p.has('latest'), last: intFlag(p, 'last', 0),
  });
  const { out } = ctx.io;
  if (format !== 'table') { out.write(print({ items: items.map(sandboxJson) }, format)); return 0; }
  if (p.has('quiet')) { for (const s of items) out.write(`${s.id}\n`); return 0; }
  const trunc = !p.has('no-trunc');
  out.write(renderTable([
    ['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'],
    ...items.map((s) => [trunc ? truncateId(s.id) : s.id, ago(s.createdAt, ctx.now()), stateName(s.state), s.metadata.name,
      s.metadata.namespace, String(s.metadata.attempt), '(default)']),
  ]));
  return 0;
};
