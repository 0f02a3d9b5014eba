/**
 * The fake CommandRunner: records every call as one line ("ip route replace …") and answers from
 * a handler (default: success with empty output). Throw `fail(…)` from the handler to simulate a
 * failing command.
 */
import { CommandError } from './command-runner.js';
import type { CommandResult, CommandRunner } from './command-runner.js';

export type FakeHandler = (line: string, input: string | undefined) => string | undefined | Promise<string | undefined>;

export class FakeRunner implements CommandRunner {
  readonly calls: string[] = [];
  readonly inputs: Array<string | undefined> = [];

  constructor(private handler: FakeHandler = () => '') {}

  setHandler(handler: FakeHandler): void { this.handler = handler; }

  async run(file: string, args: readonly string[], opts?: { input?: string }): Promise<CommandResult> {
    const line = [file, ...args].join(' ');
    this.calls.push(line);
    this.inputs.push(opts?.input);
    const stdout = await this.handler(line, opts?.input);
    return { stdout: stdout ?? '', stderr: '' };
  }

  /** Calls whose line starts with `prefix`. */
  matching(prefix: string): string[] { return this.calls.filter((c) => c.startsWith(prefix)); }
}

/** A failure as the real runner reports it. */
export function fail(line: string, stderr: string, exitCode = 2): CommandError {
  return new CommandError(line, exitCode, stderr);
}
