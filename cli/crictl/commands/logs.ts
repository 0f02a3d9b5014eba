/** `crictl logs [--tail N] [-f] [-t] [--since T] ID`: stdout lines to stdout, stderr lines to stderr. */
import { intFlag, parseArgs, UsageError } from '../args.js';
import type { FlagSpec } from '../args.js';
import type { Command } from '../context.js';
import { resolveContainer } from '../resolve.js';

const FLAGS: FlagSpec = {
  follow: { kind: 'bool', short: 'f' }, tail: { kind: 'value' }, timestamps: { kind: 'bool', short: 't' }, since: { kind: 'value' },
};

/** PURE. --since as RFC3339 or a relative duration (10s, 5m, 1h); `nowMs` anchors the latter. */
export function parseSince(v: string, nowMs: number): Date {
  const rel = /^(\d+)(s|m|h)$/.exec(v);
  if (rel !== null) return new Date(nowMs - Number(rel[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[rel[2] as 's' | 'm' | 'h']);
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
