/** The FakeRuntime's execSync: a test's scripted answer, or the fake shell's run; both may take time. */
import { CriError } from '../errors.js';
import type { ExecSyncResponse } from '../types.js';
import { runShell, type ShellContext } from './fake-shell.js';

export type ExecHandler = (cmd: readonly string[], containerId: string) => Partial<ExecSyncResponse> & { delayMs?: number };

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

export async function fakeExecSync(o: { containerId: string; cmd: readonly string[]; timeoutSeconds: number; handler?: ExecHandler; shell?: ShellContext }): Promise<ExecSyncResponse> {
  const r = o.handler?.(o.cmd, o.containerId) ?? shellAnswer(o.cmd, o.shell);
  if (r.delayMs) {
    if (r.delayMs > o.timeoutSeconds * 1000) {
      await sleep(o.timeoutSeconds * 1000);
      throw new CriError('DeadlineExceeded', `exec in container ${o.containerId}: timeout ${o.timeoutSeconds}s`);
    }
    await sleep(r.delayMs);
  }
  return { stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr ?? Buffer.alloc(0), exitCode: r.exitCode ?? 0 };
}

function shellAnswer(cmd: readonly string[], shell?: ShellContext): ReturnType<ExecHandler> {
  const run = runShell(cmd, shell);
  return { stdout: Buffer.from(run.stdout), stderr: Buffer.from(run.stderr), exitCode: run.exitCode, delayMs: run.sleepMs };
}
