/**
 * FakeRunner: records every call as one line ("ip route replace …") with its input, and answers
 * from a handler (default: success, no output). The handler returns stdout, or a partial result
 * whose non-zero `code` fails the run as ProcessRunner would; it may also throw `fail(…)`.
 */
import { ExecError } from './exec-error.js';
import type { RunOptions, RunResult, Runner } from './runner.js';

export type FakeAnswer = string | Partial<RunResult> | undefined;
export type FakeHandler = (line: string, input: string | undefined) => FakeAnswer | Promise<FakeAnswer>;

export class FakeRunner implements Runner {
  readonly calls: string[] = [];
  readonly inputs: Array<string | undefined> = [];
  readonly options: RunOptions[] = [];

  constructor(private handler: FakeHandler = () => '') {}

  setHandler(handler: FakeHandler): void { this.handler = handler; }

  async run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const line = [cmd, ...args].join(' ');
    this.calls.push(line);
    this.inputs.push(opts.input);
    this.options.push(opts);
    const answer = await this.handler(line, opts.input);
    const r: RunResult = typeof answer === 'object' ? { stdout: '', stderr: '', code: 0, ...answer } : { stdout: answer ?? '', stderr: '', code: 0 };
    if (r.code !== 0) throw fail(line, r.stderr, r.code, r.stdout);
    return r;
  }

  /** Calls whose line starts with `prefix`. */
  matching(prefix: string): string[] { return this.calls.filter((c) => c.startsWith(prefix)); }
}

/** A non-zero exit as ProcessRunner reports it. */
export function fail(line: string, stderr: string, exitCode = 2, stdout = ''): ExecError {
  return new ExecError('ExitCode', { command: line, exitCode, stdout, stderr });
}

/** A missing executable as ProcessRunner reports it. */
export function notFound(line: string): ExecError {
  return new ExecError('NotFound', { command: line, reason: `spawn ${line.split(' ')[0] ?? ''} ENOENT` });
}
