/** Exec probe: runtime.execSync in the container; exit 0 is success (kubelet's probe/exec). */
import { isCriError } from '../../cri/errors.js';
import type { RuntimeService } from '../../cri/types.js';
import type { ProbeResult } from './types.js';

export async function execProbe(runtime: Pick<RuntimeService, 'execSync'>, containerId: string, cmd: readonly string[], timeoutSeconds: number): Promise<ProbeResult> {
  try {
    const r = await runtime.execSync(containerId, cmd, timeoutSeconds);
    const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8').slice(0, 10 * 1024);
    if (r.exitCode === 0) return { ok: true, output };
    return { ok: false, output: output || `command ${JSON.stringify(cmd.join(' '))} exited with ${r.exitCode}` };
  } catch (err) {
    if (isCriError(err, 'DeadlineExceeded')) return { ok: false, output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
    return { ok: false, output: err instanceof Error ? err.message : String(err) };
  }
}
