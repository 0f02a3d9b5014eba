/**
 * How a child process failed, as a stable code callers switch on (never the message): it exited
 * non-zero ('ExitCode', also when a signal not ours killed it: `exitCode` is then null), its
 * executable is missing ('NotFound'), it ran past its timeout ('Timeout'), its AbortSignal fired
 * ('Aborted'), or it could not be started ('SpawnFailed'). The command line, exit code and output
 * travel with the error; the message is `run <command>: <last stderr lines | reason>`.
 */

export const EXEC_ERROR_CODES = ['ExitCode', 'NotFound', 'Timeout', 'Aborted', 'SpawnFailed'] as const;
export type ExecErrorCode = (typeof EXEC_ERROR_CODES)[number];

export interface ExecErrorDetails extends ErrorOptions {
  /** `cmd arg…` as run. */
  command: string;
  exitCode?: number | null;
  /** The signal that ended the process, when one did. */
  signal?: string | null;
  stdout?: string;
  stderr?: string;
  /** Why, when there is no output to tell it ('timed out after 30000 ms'). */
  reason?: string;
}

/** The last lines of a tool's complaint (stderr, else stdout), on one line. */
function tail(stderr: string, stdout: string): string {
  return (stderr.trim() || stdout.trim()).split('\n').slice(-3).join('; ');
}

export class ExecError extends Error {
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;

  constructor(readonly code: ExecErrorCode, d: ExecErrorDetails) {
    const stdout = d.stdout ?? '';
    const stderr = d.stderr ?? '';
    const why = code === 'ExitCode' ? tail(stderr, stdout) || d.reason || `exit code ${String(d.exitCode ?? null)}` : d.reason ?? code;
    super(`run ${d.command}: ${why}`, d.cause === undefined ? undefined : { cause: d.cause });
    this.name = 'ExecError';
    this.command = d.command;
    this.exitCode = d.exitCode ?? null;
    this.signal = d.signal ?? null;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

export const isExecError = (e: unknown): e is ExecError => e instanceof ExecError;
