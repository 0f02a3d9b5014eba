/**
 * `crictl exec [-i] [-t] ID CMD [ARG…]`: a streaming exec; stdout/stderr copied out, stdin copied in
 * with -i, the command's exit code becomes ours. Flags end at the container ID.
 */
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from '../args.js';
import { UsageError } from '../../flags.js';
import type { FlagSpec } from '../args.js';
import type { Command } from '../context.js';
import { resolveContainer } from '../resolve.js';

const FLAGS: FlagSpec = {
  interactive: { kind: 'bool', short: 'i' }, tty: { kind: 'bool', short: 't' }, sync: { kind: 'bool', short: 's' },
  timeout: { kind: 'value' },
};

/** Resolves when `from` ended and everything was handed to `to` (which stays open). */
function copy(from: Readable, to: Writable): Promise<void> {
  return new Promise((resolve) => {
    from.on('data', (d: Buffer) => { to.write(d); });
    from.once('end', () => resolve());
    from.once('close', () => resolve());
    from.once('error', () => resolve());
  });
}

export const execCommand: Command = async (ctx, argv) => {
  const p = parseArgs(argv, FLAGS, { stopAtPositional: true });
  const [prefix, ...cmd] = p.positionals;
  if (prefix === undefined) throw new UsageError('ID cannot be empty');
  if (cmd.length === 0) throw new UsageError('command must be specified');
  const id = await resolveContainer(ctx.runtime, prefix);
  const tty = p.has('tty');
  const stdin = p.has('interactive');
  const s = await ctx.runtime.exec(id, { cmd, tty, stdin, stdout: true, stderr: !tty });
  if (stdin && s.stdin !== undefined) {
    const input = s.stdin;
    ctx.io.in.pipe(input);
  }
  const done = [copy(s.stdout, ctx.io.out), ...(s.stderr === undefined ? [] : [copy(s.stderr, ctx.io.err)])];
  const code = await s.exitCode;
  await Promise.all(done);
  if (stdin) { ctx.io.in.unpipe(); ctx.io.in.pause(); }
  return code;
};
