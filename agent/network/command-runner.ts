/**
 * Runs the network tools (ip, iptables, sysctl) as child processes. The one place their failures
 * become typed errors: callers switch on `CommandError.exitCode` or on the predicates here, which
 * read the tool's stderr in one place only. `createExecRunner({ netns })` prefixes every command
 * with `ip netns exec <netns>` (tests run the real commands in a throwaway namespace).
 */
import { spawn } from 'node:child_process';

export interface CommandResult { stdout: string; stderr: string }

export interface CommandRunner {
  /** Runs `file args…`; rejects with CommandError on a non-zero exit or a spawn failure. */
  run(file: string, args: readonly string[], opts?: { input?: string }): Promise<CommandResult>;
}

export class CommandError extends Error {
  constructor(readonly command: string, readonly exitCode: number | null, readonly stderr: string, opts?: ErrorOptions) {
    super(`run ${command}: ${stderr.trim().split('\n').slice(-3).join('; ') || `exit code ${String(exitCode)}`}`, opts);
    this.name = 'CommandError';
  }
}

/** "already exists" answers of ip/iptables (RTNETLINK EEXIST, iptables -N of an existing chain). */
export function isExists(err: unknown): boolean {
  return err instanceof CommandError && /File exists|already exists|Chain already exists/i.test(err.stderr);
}

/** "not there" answers of ip/iptables: a missing route, rule, address, link or chain. */
export function isMissing(err: unknown): boolean {
  return err instanceof CommandError &&
    /No such process|No such file or directory|Cannot find device|does not exist|No chain\/target\/match|Bad rule|Cannot assign requested address|Address not found|is incompatible/i.test(err.stderr);
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ExecRunnerOptions {
  /** Run every command inside this named network namespace (`ip netns exec`). */
  netns?: string;
  timeoutMs?: number;
}

export function createExecRunner(opts: ExecRunnerOptions = {}): CommandRunner {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return {
    run(file, args, o) {
      const [cmd, argv] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, file, ...args]] : [file, [...args]];
      return runOnce(cmd, argv, timeoutMs, o?.input);
    },
  };
}

function runOnce(file: string, args: string[], timeoutMs: number, input: string | undefined): Promise<CommandResult> {
  const command = [file, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, PATH: process.env['PATH'] ?? SYSTEM_PATH, LC_ALL: 'C' },
      timeout: timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new CommandError(command, null, e.message, { cause: e })));
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout, stderr });
      else reject(new CommandError(command, code, stderr || stdout));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
