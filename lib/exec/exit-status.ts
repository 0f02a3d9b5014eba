/** For callers that read exit codes themselves (iptables -C, doctor's probes). */
import { ExecError } from './exec-error.js';
import type { RunResult } from './runner.js';

/**
 * Resolves a run with its exit status, non-zero included (1 when a signal ended it); a missing
 * executable, a timeout, an abort or a spawn failure still reject.
 */
export function exitStatus(run: Promise<RunResult>): Promise<RunResult> {
  return run.catch((err: unknown) => {
    if (!(err instanceof ExecError) || err.code !== 'ExitCode') throw err;
    return { stdout: err.stdout, stderr: err.stderr, code: err.exitCode ?? 1 };
  });
}
