/** `crictl ps` (v1.26 columns): CONTAINER, IMAGE, CREATED, STATE, NAME, ATTEMPT, POD ID, POD; running only unless -a. */
import type { ContainerState } from '../../../cri/types.js';
import { intFlag, labelSelector, outputFormat, parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { FlagSpec } from '../args.js';
import type { Command } from '../context.js';
import { filterContainers, optional, POD_NAME_LABEL } from '../filters.js';
import { ago, renderTable, truncateId } from '../format.js';
import { containerJson, print } from '../proto-json.js';

const FLAGS: FlagSpec = {
  all: { kind: 'bool', short: 'a' }, quiet: { kind: 'bool', short: 'q' }, pod: { kind: 'value', short: 'p' },
  name: { kind: 'value' }, namespace: { kind: 'value' }, state: { kind: 'value', short: 's' }, label: { kind: 'multi' },
  id: { kind: 'value' }, image: { kind: 'value' }, output: { kind: 'value', short: 'o' },
  latest: { kind: 'bool', short: 'l' }, last: { kind: 'value', short: 'n' }, 'no-trunc': { kind: 'bool' },
};

const STATES: Record<string, ContainerState> = {
  created: 'CONTAINER_CREATED', running: 'CONTAINER_RUNNING', exited: 'CONTAINER_EXITED', unknown: 'CONTAINER_UNKNOWN',
};
const NAMES: Record<ContainerState, string> = {
  CONTAINER_CREATED: 'Created', CONTAINER_RUNNING: 'Running', CONTAINER_EXITED: 'Exited', CONTAINER_UNKNOWN: 'Unknown',
};

export const containerStateName = (s: ContainerState): string => NAMES[s];

/** --state, else RUNNING unless -a, --latest or --last (crictl drops the state filter for those). */
export function containerStateFilter(state: string | undefined, all: boolean, latestOrLast: boolean): ContainerState | undefined {
  if (state !== undefined) {
    const s = STATES[state.toLowerCase()] ?? STATES[state.toLowerCase().replace(/^container_/, '')];
    if (s === undefined) throw new UsageError('--state should be one of created, running, exited or unknown');
    return latestOrLast ? undefined : s;
  }
  return all || latestOrLast ? undefined : 'CONTAINER_RUNNING';
}

export const psCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, FLAGS);
  if (p.positionals.length > 0) throw new UsageError(`ps takes no arguments, got "${p.positionals[0]!}"`);
  const format = outputFormat(p);
  const last = intFlag(p, 'last', 0);
  const state = containerStateFilter(p.value('state'), p.has('all'), p.has('latest') || last > 0);
  const labels = labelSelector(p);
  const all = await ctx.runtime.listContainers({ ...(state === undefined ? {} : { state }), ...(labels === undefined ? {} : { labelSelector: labels }) });
  const items = filterContainers(all, {
    ...optional('name', p.value('name')), ...optional('namespace', p.value('namespace')), ...optional('idPrefix', p.value('id')),
    ...optional('podPrefix', p.value('pod')), ...optional('image', p.value('image')), latest: p.has('latest'), last,
  });
  const { out } = ctx.io;
  if (format !== 'table') { out.write(print({ containers: items.map(containerJson) }, format)); return 0; }
  if (p.has('quiet')) { for (const c of items) out.write(`${c.id}\n`); return 0; }
  const trunc = !p.has('no-trunc');
  const id = (s: string) => trunc ? truncateId(s) : s;
  const image = (s: string) => trunc && /^sha256:[0-9a-f]{64}$/.test(s) ? truncateId(s, 'sha256:') : s;
  out.write(renderTable([
    ['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD'],
    ...items.map((c) => [id(c.id), image(c.image.image), ago(c.createdAt, ctx.now()), containerStateName(c.state), c.metadata.name,
      String(c.metadata.attempt), id(c.podSandboxId), c.labels[POD_NAME_LABEL] ?? 'unknown']),
  ]));
  return 0;
};
