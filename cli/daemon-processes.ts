/**
 * The daemons the CLI starts (`up`'s control plane and agent, a local cluster's processes): started
 * detached with their output in a log file, their PIDs kept in files, stopped by PID only after
 * /proc/<pid>/cmdline shows the process is still ours (a PID can be reused).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fchmodSync, openSync, readFileSync } from 'node:fs';
import { daemonEnv } from './daemon-node.js';

/** The PID a pid file names, or undefined when the file is absent or holds no PID. */
export function readPidFile(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * True while `pid` runs. A zombie (exited, not yet reaped: a daemon whose parent, the `up` that
 * started it, is gone waits for init to reap it, which may take seconds) counts as gone.
 */
export function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; } // ESRCH: gone
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false; // reaped meanwhile
  }
}

/** True when pid runs and its command line contains `marker` (e.g. the cluster's data dir). */
export function ours(pid: number | undefined, marker: string): pid is number {
  if (pid === undefined || !alive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.includes(marker));
  } catch {
    return false; // gone meanwhile, or no /proc
  }
}

export interface Started { pid: number; exited(): boolean }

/**
 * Starts `cmd args` (a daemon: daemonEnv, plus `env`: secrets go there, never into args, which
 * every user sees in `ps`) in its own process group, stdout and stderr appended to logFile (0600).
 */
export function spawnDetached(cmd: string, args: readonly string[], logFile: string, env: Readonly<Record<string, string>> = {}): Started {
  const fd = openSync(logFile, 'a', 0o600);
  try {
    fchmodSync(fd, 0o600); // a log from before may have been created readable by all
    const child = spawn(cmd, [...args], { detached: true, stdio: ['ignore', fd, fd], env: { ...daemonEnv(), ...env } });
    child.unref();
    let exited = false;
    child.on('exit', () => { exited = true; });
    child.on('error', () => { exited = true; });
    if (child.pid === undefined) throw new Error(`cannot start ${cmd}: see ${logFile}`);
    return { pid: child.pid, exited: () => exited || child.exitCode !== null };
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; does nothing when the pid is not ours any more. */
export async function stopProcess(pid: number | undefined, marker: string, graceMs = 10_000): Promise<boolean> {
  if (!ours(pid, marker)) return false;
  return await terminate(pid, graceMs);
}

/** SIGTERM, then SIGKILL after `graceMs`, then waits (up to 5 s) until it is gone; false if it had exited already. */
export async function terminate(pid: number, graceMs: number): Promise<boolean> {
  try { process.kill(pid, 'SIGTERM'); } catch { return false; } // exited meanwhile
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  if (alive(pid)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* exited meanwhile */ }
    const killDeadline = Date.now() + 5_000;
    while (alive(pid) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}
