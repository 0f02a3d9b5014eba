/**
 * Kernel settings through `sysctl` (run by the Runner, so in the runner's namespace: the
 * `/proc/sys/net` a process sees is its own network namespace's). Keys the kernel lacks (e.g.
 * net.bridge.* without br_netfilter) are skipped silently.
 */
import type { Runner } from '../../lib/exec/runner.js';

/** PURE. Parses `sysctl k1 k2 …` output ("key = value" lines). */
export function parseSysctl(out: string): Record<string, string> {
  const res: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const i = line.indexOf(' = ');
    if (i > 0) res[line.slice(0, i).trim()] = line.slice(i + 3).trim();
  }
  return res;
}

/** Current values of the keys that exist. */
export async function readSysctls(exec: Runner, keys: readonly string[]): Promise<Record<string, string>> {
  if (!keys.length) return {};
  const { stdout } = await exec.run('sysctl', ['-e', ...keys]);
  return parseSysctl(stdout);
}

/**
 * Sets the keys that exist and differ; returns the previous values of what it changed (the
 * input of `restoreSysctls`). Idempotent.
 */
export async function applySysctls(exec: Runner, want: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const current = await readSysctls(exec, Object.keys(want));
  const changed: Record<string, string> = {};
  const args: string[] = [];
  for (const [k, v] of Object.entries(want)) {
    const cur = current[k];
    if (cur === undefined || cur === v) continue;
    changed[k] = cur;
    args.push(`${k}=${v}`);
  }
  if (args.length) await exec.run('sysctl', ['-q', '-e', '-w', ...args]);
  return changed;
}

export async function restoreSysctls(exec: Runner, previous: Readonly<Record<string, string>>): Promise<void> {
  const args = Object.entries(previous).map(([k, v]) => `${k}=${v}`);
  if (args.length) await exec.run('sysctl', ['-q', '-e', '-w', ...args]);
}
