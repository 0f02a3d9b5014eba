/**
 * Running the network tools (iptables*, conntrack) through lib/exec's Runner, and the typed error
 * the netproxy fails with: `runTool` resolves with any exit status (the callers read iptables'
 * codes) and turns every other failure into a NetproxyError, the netproxy's own boundary.
 */
import { isExecError } from '../lib/exec/exec-error.js';
import { exitStatus } from '../lib/exec/exit-status.js';
import type { RunOptions, RunResult, Runner } from '../lib/exec/runner.js';

export type NetErrorCode = 'ExecFailed' | 'RestoreFailed' | 'NotFound';

export class NetproxyError extends Error {
  /** The 1-based payload line iptables-restore reported, when it did. */
  readonly line?: number;
  readonly stderr?: string;
  constructor(readonly code: NetErrorCode, message: string, opts?: ErrorOptions & { line?: number; stderr?: string }) {
    super(message, opts);
    this.name = 'NetproxyError';
    this.line = opts?.line;
    this.stderr = opts?.stderr;
  }
}

export const isNetproxyError = (e: unknown): e is NetproxyError => e instanceof NetproxyError;

/** Runs a tool to its end whatever its exit code; a missing tool is NetproxyError 'NotFound', other failures 'ExecFailed'. */
export async function runTool(runner: Runner, cmd: string, args: readonly string[], opts?: RunOptions): Promise<RunResult> {
  try {
    return await exitStatus(runner.run(cmd, args, opts));
  } catch (err) {
    throw toNetproxyError(err);
  }
}

/** A runner's failure as the netproxy reports it. */
export function toNetproxyError(err: unknown, what?: string): NetproxyError {
  if (err instanceof NetproxyError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const stderr = isExecError(err) ? err.stderr : undefined;
  const code = isExecError(err) && err.code === 'NotFound' ? 'NotFound' : 'ExecFailed';
  return new NetproxyError(code, what ? `${what}: ${stderr?.trim() || message}` : message, { cause: err, ...(stderr ? { stderr } : {}) });
}

/** The failing line iptables-restore names ("line 12 failed" / "Error occurred at line: 12"). */
export function restoreErrorLine(stderr: string): number | undefined {
  const m = /line:? (\d+)(?: failed)?/i.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

/** `lines` numbered, `radius` either side of `line` (1-based): what the proxier logs on failure. */
export function linesAround(payload: string, line: number, radius = 5): string[] {
  const all = payload.split('\n');
  const from = Math.max(1, line - radius);
  const to = Math.min(all.length, line + radius);
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${i === line ? '>' : ' '}${String(i).padStart(6)}: ${all[i - 1] ?? ''}`);
  return out;
}
