/**
 * How the cluster commands run host tools (`ip`, `sysctl` under `ip netns exec`): lib/exec's
 * ProcessRunner with a 30 s timeout (FakeRunner in tests), and which failures mean "already gone".
 */
import { isExecError } from '../../lib/exec/exec-error.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import type { Runner } from '../../lib/exec/runner.js';

/** The runner of the cluster commands' host tools. */
export const clusterRunner = (): Runner => new ProcessRunner({ timeoutMs: 30_000 });

/** True when a failed removal only says the thing is already gone (a tool's output, else the error's text). */
export function isGone(e: unknown): boolean {
  const said = isExecError(e) ? e.stderr || e.stdout : e instanceof Error ? e.message : String(e);
  return /Cannot find device|does not exist|No such process|No such file|not found|Cannot open network namespace/i.test(said);
}
