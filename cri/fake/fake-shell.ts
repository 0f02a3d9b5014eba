/**
 * The FakeRuntime's shell: the few commands tests run in a container (as its main process or by
 * exec), interpreted without any process. PURE.
 *   echo WORDS [>&2]    output a line (on stderr with >&2)
 *   sleep N             N seconds pass (summed into sleepMs; the caller waits)
 *   exit [N]            stop with N (default: the last status)
 *   true | false        status 0 | 1
 *   cat                 copies stdin to stdout (readsStdin; streams only)
 *   id [-u|-g|-G]       the user and groups the container runs as (ShellContext)
 *   touch PATH          fails on a read-only root outside the writable mounts (ShellContext)
 *   sh -c 'SCRIPT'      statements split on ';' and newlines, words on blanks, quotes kept together
 * Any other command is "not found" (status 127) and ends the script: `unknown` names it.
 */

export interface ShellRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The script's sleeps, added up. */
  sleepMs: number;
  /** The script runs cat: it reads stdin until it ends. */
  readsStdin: boolean;
  /** The first command the shell does not know (the script stopped there). */
  unknown?: string;
}

/** Who the shell runs as and what it may write: from the container's security context (fake-shell-context.ts). */
export interface ShellContext {
  uid: number;
  gid: number;
  /** Supplementary groups (without gid). */
  groups: number[];
  readonlyRootfs: boolean;
  /** Container paths of read-write mounts. */
  writableMounts: string[];
}

export const ROOT_SHELL: ShellContext = { uid: 0, gid: 0, groups: [], readonlyRootfs: false, writableMounts: [] };

export function runShell(argv: readonly string[], ctx: ShellContext = ROOT_SHELL): ShellRun {
  const run: ShellRun = { stdout: '', stderr: '', exitCode: 0, sleepMs: 0, readsStdin: false };
  const statements = argv[0] === 'sh' && argv[1] === '-c' ? splitScript(argv[2] ?? '') : [[...argv]];
  for (const words of statements) {
    if (words.length > 0 && step(run, words, ctx) === 'stop') break;
  }
  return run;
}

function step(run: ShellRun, [cmd = '', ...args]: string[], ctx: ShellContext): 'next' | 'stop' {
  switch (cmd) {
    case 'echo': {
      const toStderr = args.at(-1) === '>&2';
      const text = `${(toStderr ? args.slice(0, -1) : args).join(' ')}\n`;
      if (toStderr) run.stderr += text;
      else run.stdout += text;
      run.exitCode = 0;
      return 'next';
    }
    case 'sleep':
      run.sleepMs += Math.max(0, Number(args[0]) || 0) * 1000;
      run.exitCode = 0;
      return 'next';
    case 'exit':
      if (args[0] !== undefined) run.exitCode = (Number(args[0]) || 0) & 255;
      return 'stop';
    case 'true': run.exitCode = 0; return 'next';
    case 'false': run.exitCode = 1; return 'next';
    case 'cat': run.readsStdin = true; run.exitCode = 0; return 'next';
    case 'id': {
      const groups = [ctx.gid, ...ctx.groups.filter((g) => g !== ctx.gid)];
      run.stdout += `${args[0] === '-u' ? ctx.uid : args[0] === '-g' ? ctx.gid : args[0] === '-G' ? groups.join(' ')
        : `uid=${ctx.uid} gid=${ctx.gid} groups=${groups.join(',')}`}\n`;
      run.exitCode = 0;
      return 'next';
    }
    case 'touch': {
      const path = args[0] ?? '';
      const writable = !ctx.readonlyRootfs || ctx.writableMounts.some((m) => path === m || path.startsWith(`${m.replace(/\/$/, '')}/`));
      if (!writable) run.stderr += `touch: ${path}: Read-only file system\n`;
      run.exitCode = writable ? 0 : 1;
      return 'next';
    }
    default:
      run.stderr += `sh: ${cmd}: not found\n`;
      run.exitCode = 127;
      run.unknown = cmd;
      return 'stop';
  }
}

function splitScript(script: string): string[][] {
  return script.split(/[;\n]/).map((s) => (s.match(/'[^']*'|"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^(['"])(.*)\1$/, '$2')));
}
