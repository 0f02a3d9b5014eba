/**
 * The tinykube processes that serve a data dir, found by what runs (/proc/<pid>/cmdline) rather
 * than by what pid files say: a pid file may name a process that died, or a pid the kernel has
 * since given to something else, and an agent started by an earlier `up` may outlive its file.
 * A process is the data dir's control plane when its command line is tinykube's `server` with
 * that --data-dir, its agent when it is `agent` (or `join --foreground`) with that --data-dir.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from './defaults.js';

export type NodeRole = 'server' | 'agent';

/** Where `up` records the control plane's and `up`/`join` the agent's PID: hints for people; nothing trusts them. */
export const CONTROL_PID_FILE = 'control.pid';
export const AGENT_PID_FILE = 'agent.pid';
/** How long a control plane or agent gets between SIGTERM and SIGKILL. */
export const SERVER_STOP_GRACE_MS = 10_000;
export const AGENT_STOP_GRACE_MS = 10_000;

export interface NodeProcess {
  pid: number;
  role: NodeRole;
  /** When the process started, in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid apart. */
  startTicks: number;
}

/** True for the CLI's entry point: <…>/cli/main.js (how `up` and `join` start daemons), or a `tinykube` launcher. */
function isEntryPoint(arg: string): boolean {
  return (basename(arg) === 'main.js' && basename(dirname(arg)) === 'cli') || basename(arg) === 'tinykube';
}

/** The value of --data-dir in `args` (either spelling), else undefined. */
function dataDirFlag(args: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--data-dir') found = args[++i];
    else if (a.startsWith('--data-dir=')) found = a.slice('--data-dir='.length);
  }
  return found;
}

/**
 * PURE: the role of a command line (argv as /proc/<pid>/cmdline splits it; `cwd` the process's
 * working directory, for a relative --data-dir) when it serves `dataDir`, else undefined.
 */
export function roleOf(argv: readonly string[], cwd: string, dataDir: string): NodeRole | undefined {
  const entry = argv.findIndex((a, i) => i > 0 && isEntryPoint(a));
  if (entry < 0) return undefined;
  const verb = argv[entry + 1];
  const flags = argv.slice(entry + 2);
  let role: NodeRole | undefined;
  if (verb === 'server') role = 'server';
  else if (verb === 'agent' || (verb === 'join' && flags.some((f) => f === '--foreground' || f === '--foreground=true'))) role = 'agent';
  if (role === undefined) return undefined;
  const dir = dataDirFlag(flags) ?? DEFAULT_DATA_DIR;
  return resolve(cwd, dir) === resolve(dataDir) ? role : undefined;
}

/** The command line of a process as its argv, or undefined when it is gone (or not ours to read). */
export function cmdlineOf(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (raw === '') return undefined; // a kernel thread or a zombie
    return raw.replace(/\0$/, '').split('\0');
  } catch {
    return undefined; // exited meanwhile
  }
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
export function startTicksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined; // exited meanwhile
  }
}

/** The running process `pid` when it still is the same data dir's process `p` (same role, same start). */
export function stillRunning(p: NodeProcess, dataDir: string): boolean {
  const argv = cmdlineOf(p.pid);
  if (argv === undefined || startTicksOf(p.pid) !== p.startTicks) return false;
  return roleOf(argv, cwdOf(p.pid), dataDir) === p.role;
}

function cwdOf(pid: number): string {
  try { return readlinkSync(`/proc/${pid}/cwd`); } catch { return '/'; } // not readable: only an absolute --data-dir can match
}

/** Every process serving `dataDir`, oldest first. */
export function findNodeProcesses(dataDir: string): NodeProcess[] {
  const found: NodeProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const argv = cmdlineOf(pid);
    if (argv === undefined) continue;
    const role = roleOf(argv, cwdOf(pid), dataDir);
    const startTicks = role === undefined ? undefined : startTicksOf(pid);
    if (role !== undefined && startTicks !== undefined) found.push({ pid, role, startTicks });
  }
  return found.sort((a, b) => a.startTicks - b.startTicks || a.pid - b.pid);
}

/**
 * Stops the processes (all at once): SIGTERM, then SIGKILL to those still there after `graceMs`;
 * returns when each is gone. A process is signalled only while it is still the one found (same
 * start time, same role for the data dir): a pid the kernel has given to another is left alone.
 */
export async function stopNodeProcesses(procs: readonly NodeProcess[], dataDir: string, graceMs: number): Promise<void> {
  const signal = (p: NodeProcess, sig: NodeJS.Signals) => {
    if (!stillRunning(p, dataDir)) return;
    try { process.kill(p.pid, sig); } catch { /* exited meanwhile */ }
  };
  const waitGone = async (until: number): Promise<NodeProcess[]> => {
    let left = procs.filter((p) => stillRunning(p, dataDir));
    while (left.length > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 25));
      left = left.filter((p) => stillRunning(p, dataDir));
    }
    return left;
  };
  for (const p of procs) signal(p, 'SIGTERM');
  const stubborn = await waitGone(Date.now() + graceMs);
  for (const p of stubborn) signal(p, 'SIGKILL');
  const left = await waitGone(Date.now() + 5_000);
  if (left.length > 0) throw new Error(`stop ${left.map((p) => `${p.role} (pid ${p.pid})`).join(', ')}: still running after SIGKILL`);
}
