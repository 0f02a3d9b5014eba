/**
 * How the cluster commands run host tools (`ip`, `sysctl` under `ip netns exec`): one narrow
 * interface, the real one over execFile and a fake that records command lines (kind's exec.Cmder).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class ExecError extends Error {
  constructor(readonly commandLine: string, readonly stderr: string, options?: ErrorOptions) {
    super(`${commandLine}: ${stderr || 'failed'}`, options);
    this.name = 'ExecError';
  }
}

export interface Exec {
  /** Runs the command; resolves with stdout, rejects with ExecError (stderr in the message). */
  run(cmd: string, args: readonly string[]): Promise<string>;
}

export class ProcessExec implements Exec {
  async run(cmd: string, args: readonly string[]): Promise<string> {
    try {
      const { stdout } = await run(cmd, [...args], { timeout: 30_000, maxBuffer: 16 << 20 });
      return stdout;
    } catch (e) {
      const stderr = (e as { stderr?: unknown }).stderr;
      const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : (e as Error).message;
      throw new ExecError([cmd, ...args].join(' '), text.split('\n').slice(0, 3).join(' / '), { cause: e });
    }
  }
}

/** Records every command line; `fail` decides which ones fail, `outputs` gives stdout by prefix. */
export class FakeExec implements Exec {
  readonly calls: string[] = [];
  constructor(readonly opts: { fail?: (line: string) => boolean; outputs?: Record<string, string> } = {}) {}

  run(cmd: string, args: readonly string[]): Promise<string> {
    const line = [cmd, ...args].join(' ');
    this.calls.push(line);
    if (this.opts.fail?.(line)) return Promise.reject(new ExecError(line, 'fake failure'));
    for (const [prefix, out] of Object.entries(this.opts.outputs ?? {})) if (line.startsWith(prefix)) return Promise.resolve(out);
    return Promise.resolve('');
  }
}

/** True when a failed removal only says the thing is already gone. */
export function isGone(e: unknown): boolean {
  const m = e instanceof Error ? e.message : String(e);
  return /Cannot find device|does not exist|No such process|No such file|not found|Cannot open network namespace/i.test(m);
}
