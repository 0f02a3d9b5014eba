/** `crictl logs [--tail N] [-f] [-t] [--since T] ID`: stdout lines to stdout, stderr lines to stderr. */
import { parseDuration } from '../../../control/util/duration.js';
import { intFlag, parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { FlagSpec } from '../args.js';
import type { Command } from '../context.js';
import { resolveContainer } from '../resolve.js';

const FLAGS: FlagSpec = {
  follow: { kind: 'bool', short: 'f' }, tail: { kind: 'value' }, timestamps: { kind: 'bool', short: 't' }, since: { kind: 'value' },
};

/** A Go duration's ms, or undefined when `v` is not one. */
function relative(v: string): number | undefined {
  try {
    return parseDuration(v);
  } catch {
    return undefined; // not a duration: RFC3339 is tried next
  }
}

/** PURE. --since as a relative Go duration (10s, 5m, 1h30m; not "0") or RFC3339, as crictl reads it; `nowMs` anchors the former. */
export function parseSince(v: string, nowMs: number): Date {
  const rel = v === '0' ? undefined : relative(v);
  if (rel !== undefined) return new Date(nowMs - rel);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UsageError(`invalid --since "${v}": want RFC3339 or a duration like 10s, 5m, 1h`);
  return new Date(t);
}

export const logsCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, FLAGS);
  const [prefix, extra] = p.positionals;
  if (prefix === undefined) throw new UsageError('ID cannot be empty');
  if (extra !== undefined) throw new UsageError(`logs takes one container ID, got also "${extra}"`);
  const tail = p.value('tail') === undefined || p.value('tail') === '-1' ? undefined : intFlag(p, 'tail', 0);
  const since = p.value('since');
  const id = await resolveContainer(ctx.runtime, prefix);
  const lines = ctx.runtime.containerLogs(id, {
    follow: p.has('follow'),
    ...(tail === undefined ? {} : { tailLines: tail }),
    ...(since === undefined ? {} : { sinceTime: parseSince(since, ctx.now()) }),
  }, ctx.signal);
  const stamps = p.has('timestamps');
  try {
    for await (const l of lines) {
      const target = l.stream === 'stderr' ? ctx.io.err : ctx.io.out;
      target.write(stamps ? Buffer.concat([Buffer.from(`${l.time} `), l.line, Buffer.from('\n')]) : Buffer.concat([l.line, Buffer.from('\n')]));
    }
  } catch (e) {
    // Ctrl-C ends `logs -f`: not an error
    if (!ctx.signal.aborted) throw e;
  }
  return 0;
};
