/**
 * The one contract for running a program to its end (kind's exec.Cmder): `run(cmd, args, opts)`
 * resolves with its output when it exits 0 and rejects with an ExecError otherwise. ProcessRunner
 * is the real one, FakeRunner records command lines for unit tests, `inNetns` runs every command
 * inside a named network namespace. Long-running daemons are not run this way.
 */

export interface RunOptions {
  /** Written to stdin, which is then closed (without it stdin is /dev/null). */
  input?: string;
  /** Kill the process (SIGTERM) after this long: ExecError 'Timeout'. */
  timeoutMs?: number;
  /** Kill the process when this fires: ExecError 'Aborted'. */
  signal?: AbortSignal;
  /** Added to the inherited environment. */
  env?: Readonly<Record<string, string>>;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** 0 from `run`; the real exit code through `exitStatus`. */
  code: number;
}

export interface Runner {
  /** Runs `cmd args…` to its end; rejects with ExecError unless it exits 0. */
  run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
}
