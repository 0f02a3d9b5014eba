/**
 * How the agent runs the network tools (ip, iptables, sysctl): through lib/exec's ProcessRunner
 * with a 30 s timeout, and what their failures mean, read from their output in this one place
 * (the runner runs them with LC_ALL=C): "it already exists" and "it is not there" are answers,
 * not errors, for the idempotent setup and teardown steps.
 */
import { isExecError } from '../../lib/exec/exec-error.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import type { Runner } from '../../lib/exec/runner.js';

/** The runner of ip/iptables/sysctl in this process's namespace. */
export const networkToolRunner = (): Runner => new ProcessRunner({ timeoutMs: 30_000 });

const said = (err: unknown, re: RegExp): boolean => isExecError(err) && re.test(err.stderr || err.stdout);

/** "already exists" answers of ip/iptables (RTNETLINK EEXIST, iptables -N of an existing chain). */
export function isExists(err: unknown): boolean {
  return said(err, /File exists|already exists|Chain already exists/i);
}

/** "not there" answers of ip/iptables: a missing route, rule, address, link or chain. */
export function isMissing(err: unknown): boolean {
  return said(err, /No such process|No such file or directory|Cannot find device|does not exist|No chain\/target\/match|Bad rule|Cannot assign requested address|Address not found|is incompatible/i);
}
