/**
 * ProcessRunner: the Runner over node:child_process. Output is collected as UTF-8 text; the
 * environment is inherited with a system PATH when there is none and LC_ALL=C, so the tools
 * answer in the words their callers classify (RunOptions.env and the constructor's env add to it).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ExecError } from './exec-error.js';
import type { RunOptions, RunResult, Runner } from './runner.js';

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ProcessRunnerOptions {
  /** The timeout of every run that gives none (default: none). */
  timeoutMs?: number;
  env?: Readonly<Record<string, string>>;
}

export class ProcessRunner implements Runner {
  constructor(private readonly o: ProcessRunnerOptions = {}) {}

  run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const command = [cmd, ...args].join(' ');
    const timeoutMs = opts.timeoutMs ?? this.o.timeoutMs;
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(cmd, [...args], {
          stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
          env: { ...process.env, PATH: process.env['PATH'] ?? SYSTEM_PATH, LC_ALL: 'C', ...this.o.env, ...opts.env },
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
      } catch (err) {
        reject(new ExecError('SpawnFailed', { command, reason: err instanceof Error ? err.message : String(err), cause: err }));
        return;
      }
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let settled = false;
      let timedOut = false;
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => { timedOut = true; child.kill('SIGTERM'); }, timeoutMs);
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        fn();
      };
      const text = () => ({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') });
      child.stdout?.on('data', (b: Buffer) => out.push(b));
      child.stderr?.on('data', (b: Buffer) => errOut.push(b));
      child.once('error', (e: NodeJS.ErrnoException) => settle(() => {
        const code = e.name === 'AbortError' ? 'Aborted' : e.code === 'ENOENT' ? 'NotFound' : 'SpawnFailed';
        reject(new ExecError(code, { command, reason: code === 'Aborted' ? 'aborted' : e.message, ...text(), cause: e }));
      }));
      child.once('close', (exitCode, signal) => settle(() => {
        const t = text();
        if (timedOut) reject(new ExecError('Timeout', { command, signal, ...t, reason: `timed out after ${String(timeoutMs)} ms` }));
        else if (opts.signal?.aborted) reject(new ExecError('Aborted', { command, signal, ...t, reason: 'aborted' }));
        else if (exitCode === 0) resolve({ ...t, code: 0 });
        else reject(new ExecError('ExitCode', { command, exitCode, signal, ...t, reason: signal ? `killed by ${signal}` : undefined }));
      }));
      if (opts.input !== undefined) {
        child.stdin?.on('error', () => undefined); // it may exit before reading all input: its exit status tells
        child.stdin?.end(opts.input);
      }
    });
  }
}
