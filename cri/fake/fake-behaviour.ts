/**
 * What a FakeRuntime container does once started: a behaviour set by the test (setBehaviour), or
 * else what the fake shell makes of its command and args (echo, sleep, exit, …; fake-shell.ts).
 */
import type { ContainerConfig } from '../types.js';
import { runShell, type ShellContext } from './fake-shell.js';

export interface FakeBehaviour {
  /** Exit this long after start (undefined: run until stopped). */
  exitAfterMs?: number;
  exitCode?: number;
  /** Exit as OOMKilled (exit code 137). */
  oom?: boolean;
  /** startContainer throws this (a CriError 'Unknown'). */
  startError?: string;
  /** Exit code when stopped (default 137: PID 1 without a SIGTERM handler is killed). */
  stopExitCode?: number;
  /** Written to the container's log at start. */
  output?: { stdout?: string; stderr?: string };
}

/**
 * PURE. The behaviour of the container's main process (command + args) as the fake shell runs
 * it: its output at start, then an exit after its sleeps. No command (the image default), `cat`
 * and commands the shell does not know (a server, say) run until stopped.
 */
export function programBehaviour(config: Pick<ContainerConfig, 'command' | 'args'>, ctx?: ShellContext): FakeBehaviour {
  const argv = [...(config.command ?? []), ...(config.args ?? [])];
  if (argv.length === 0) return {};
  const run = runShell(argv, ctx);
  if (run.unknown !== undefined || run.readsStdin) return {};
  return { exitAfterMs: run.sleepMs, exitCode: run.exitCode, output: { stdout: run.stdout, stderr: run.stderr } };
}
