/**
 * `crictl exec [-i] [-t] [-s [--timeout S]] ID CMD [ARG…]`: a streaming exec (-s: ExecSync, stdout and
 * stderr each printed on stdout with an extra newline, as crictl 1.26 does); stdout/stderr copied out, stdin
 * copied in with -i. The command's exit code becomes ours (crictl itself exits 1 and logs it).
 * Flags end at the container ID.
 */
import type { Readable, Writable } from 'node:stream';
import { intFlag, parseArgs } from '../args.js';
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
  if (p.has('sync')) {
    // ExecSync: crictl 1.26 prints stdout, then stderr, each followed by a newline of its own, both on stdout
    const r = await ctx.runtime.execSync(id, cmd, intFlag(p, 'timeout', 0));
    ctx.io.out.write(Buffer.concat([r.stdout, Buffer.from('\n'), r.stderr, Buffer.from('\n')]));
    return r.exitCode;
  }
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
