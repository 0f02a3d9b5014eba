/**
 * Runs one CNI plugin binary the way libcni does: configuration on stdin, parameters in CNI_*
 * environment variables, the result (or a CNI error object) on stdout. Plugin failures are
 * translated to CriError here, at the edge.
 */
import { isExecError } from '../../lib/exec/exec-error.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import type { Runner } from '../../lib/exec/runner.js';
import { CriError, type CriErrorKind } from '../errors.js';
import type { CniInvocation, CniPluginExec } from './types.js';

const DEFAULT_TIMEOUT_MS = 60_000;

/** CNI spec error codes → CRI error kinds (1.0.0 §"Error"). */
export function kindOfCniCode(code: number | undefined): CriErrorKind {
  switch (code) {
    case 2: case 4: case 6: case 7: return 'InvalidArgument';
    case 11: return 'Unavailable';
    default: return 'Unknown';
  }
}

/** Parses a plugin's error output; tolerates non-JSON text. */
export function parseCniError(stdout: string, stderr: string): { code?: number; msg: string } {
  try {
    const parsed: unknown = JSON.parse(stdout);
    if (typeof parsed === 'object' && parsed !== null) {
      const rec = parsed as Record<string, unknown>;
      const code = typeof rec['code'] === 'number' ? rec['code'] : undefined;
      const msg = typeof rec['msg'] === 'string' ? rec['msg'] : stdout.trim();
      const details = typeof rec['details'] === 'string' && rec['details'] !== '' ? `: ${rec['details']}` : '';
      return { ...(code === undefined ? {} : { code }), msg: msg + details };
    }
  } catch { /* not JSON */ }
  return { msg: (stdout.trim() || stderr.trim() || 'no output').slice(0, 2000) };
}

/** The real {@link CniPluginExec}: runs the binary (through `runner`, a ProcessRunner by default). */
export function createPluginExec(opts: { timeoutMs?: number; runner?: Runner } = {}): CniPluginExec {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const runner = opts.runner ?? new ProcessRunner();
  return (inv) => runPlugin(runner, inv, timeoutMs);
}

async function runPlugin(runner: Runner, inv: CniInvocation, timeoutMs: number): Promise<unknown> {
  const what = `cni plugin ${inv.pluginPath} ${inv.command}`;
  let stdout: string;
  try {
    ({ stdout } = await runner.run(inv.pluginPath, [], {
      input: JSON.stringify(inv.conf),
      timeoutMs,
      env: { CNI_COMMAND: inv.command, CNI_CONTAINERID: inv.containerId, CNI_NETNS: inv.netns, CNI_IFNAME: inv.ifName, CNI_PATH: inv.cniPath },
    }));
  } catch (err) {
    throw pluginError(err, what, timeoutMs);
  }
  if (stdout.trim() === '') return undefined;
  try {
    return JSON.parse(stdout);
  } catch (e) {
    throw new CriError('Unknown', `${what}: unparsable result: ${stdout.slice(0, 200)}`, { cause: e });
  }
}

/** A plugin run's failure as CriError: its CNI error object, a timeout, or a binary that is not there. */
function pluginError(err: unknown, what: string, timeoutMs: number): CriError {
  if (!isExecError(err)) return new CriError('Unknown', `${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  switch (err.code) {
    case 'ExitCode': {
      if (err.exitCode === null) return new CriError('DeadlineExceeded', `${what}: killed by ${err.signal ?? 'a signal'}`, { cause: err });
      const e = parseCniError(err.stdout, err.stderr);
      return new CriError(kindOfCniCode(e.code), `${what} failed: ${e.msg}`, { cause: err });
    }
    case 'Timeout': return new CriError('DeadlineExceeded', `${what}: killed by ${err.signal ?? 'SIGTERM'} (timeout ${timeoutMs} ms)`, { cause: err });
    case 'NotFound': return new CriError('InvalidArgument', `${what}: ${err.message}`, { cause: err });
    default: return new CriError('Unknown', `${what}: ${err.message}`, { cause: err });
  }
}
