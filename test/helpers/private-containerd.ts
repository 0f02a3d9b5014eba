/**
 * A private containerd with its CRI plugin, for tests: own root, state, socket and config under
 * /var/lib/tinykube-test/<name> and /run/tinykube-test/<name>, own bridge and host-local dataDir, the
 * config from the one renderer (cri/containerd/config.ts), the test images imported into k8s.io.
 * Optionally inside a network namespace (`nsenter --net`: containerd, its shims and CNI act there;
 * not `ip netns exec`, whose fresh /sys hides the cgroup mounts from runc: "no cgroup mount found").
 *
 * stop() leaves nothing behind: pods through CRI first (crictl rmp: StopPodSandbox runs CNI DEL),
 * then whatever tasks are left through ctr (shims outlive containerd), then containerd by PID, then
 * the mounts under its dirs, the bridge and the dirs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeContainerdConfig } from '../../cri/containerd/config-writer.js';
import { importIntoContainerd } from '../../cri/images/image-import.js';
import { DEFAULT_IMAGE_DIR } from '../../cri/images/test-images.js';
import { ProcessRunner } from '../../lib/exec/process-runner.js';
import { killNow } from './child.js';
import { crictlBinary } from './cri-tools.js';

export const TEST_LIB_ROOT = '/var/lib/tinykube-test';
export const TEST_RUN_ROOT = '/run/tinykube-test';
/** The test images (tinykube image build-test / scripts/lib.sh ensure_test_images). */
export const TEST_IMAGE_FILES = ['pause-1', 'busybox-1', 'web-1', 'web-2', 'web-3'].map((n) => join(DEFAULT_IMAGE_DIR, `tinykube-${n}.tar`));

export interface PrivateContainerdOptions {
  /** Unique per test file: [a-z0-9-], at most 24 characters. */
  name: string;
  /** Run containerd inside this network namespace (it must exist; the caller removes it). */
  netns?: string;
  /** Include the CNI firewall plugin (needed where Docker's FORWARD DROP applies, G6). Default true. */
  firewall?: boolean;
  /** Write the conflist now; without it containerd renders its template on UpdateRuntimeConfig. */
  podCidr?: string;
  /** Image archives to import into k8s.io. Default TEST_IMAGE_FILES. */
  images?: readonly string[];
}

export interface PrivateContainerd {
  /** The gRPC socket path. */
  address: string;
  /** containerd:///<address>, for tinykube's --runtime-endpoint. */
  endpoint: string;
  root: string;
  state: string;
  configDir: string;
  bridge: string;
  cniDataDir: string;
  pid: number;
  /** Removes pods, containerd, mounts, bridge and dirs. Idempotent. */
  stop(): Promise<void>;
  /**
   * A host reboot as this containerd sees it: containerd, its shims and every process they ran
   * killed with SIGKILL at once, its /run state (task bundles, rootfs and shm mounts) gone, then
   * containerd started again on the same root and config. Resolves when it serves CRI again.
   */
  reboot(): Promise<void>;
}

const runner = new ProcessRunner();

/** "tkc" + 8 hex of the name: unique, within Linux's 15 characters. */
export function bridgeFor(name: string): string {
  return `tkc${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

async function ctr(address: string, args: string[]): Promise<string> {
  return (await runner.run('ctr', ['--address', address, ...args])).stdout;
}

async function waitReady(address: string, proc: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`private containerd exited during start (${proc.exitCode ?? proc.signalCode}): ${readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')}`);
    }
    if (existsSync(address) && await ctr(address, ['version']).then(() => true, () => false)) {
      // a config the CRI plugin refuses still leaves containerd serving everything else
      const cri = (await ctr(address, ['plugins', 'ls'])).split('\n').find((l) => /^io\.containerd\.grpc\.v1\s+cri\s/.test(l));
      if (cri?.trim().endsWith('ok')) return;
      throw new Error(`private containerd: CRI plugin not loaded (${cri?.trim() ?? 'absent'}); log ${logFile}:\n${readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('cri')).slice(-5).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`private containerd did not answer on ${address} within 20 s (log ${logFile})`);
}

/** Mount points at or under any of `dirs`, deepest first (from this process's mount namespace). */
export function mountsUnder(dirs: readonly string[]): string[] {
  const points = readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')[4]?.replace(/\\040/g, ' '))
    .filter((p): p is string => p !== undefined && dirs.some((d) => p === d || p.startsWith(`${d}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

export async function startPrivateContainerd(o: PrivateContainerdOptions): Promise<PrivateContainerd> {
  if (!/^[a-z0-9][a-z0-9-]{0,23}$/.test(o.name)) throw new Error(`private containerd: bad name ${JSON.stringify(o.name)}`);
  const lib = join(TEST_LIB_ROOT, o.name);
  const run = join(TEST_RUN_ROOT, o.name);
  const root = join(lib, 'root');
  const state = join(run, 'state');
  const address = join(run, 'containerd.sock');
  const configDir = join(lib, 'config');
  const cniDataDir = join(lib, 'cni');
  const bridge = bridgeFor(o.name);
  if (existsSync(lib) || existsSync(run)) throw new Error(`private containerd ${o.name}: ${lib} or ${run} exists (a run that did not clean up?)`);
  await mkdir(root, { recursive: true, mode: 0o700 });
  await mkdir(state, { recursive: true, mode: 0o711 });
  const files = await writeContainerdConfig(configDir, {
    root, state, address, network: { name: `tk-${o.name}`, bridge, dataDir: cniDataDir, firewall: o.firewall ?? true },
    ...(o.podCidr !== undefined ? { podCidr: o.podCidr } : {}),
  });
  const logFile = join(lib, 'containerd.log');
  const log = openSync(logFile, 'a');
  const argv = ['containerd', '--config', files.configFile];
  // nsenter execs containerd in place: the PID we hold is containerd's
  const launch = (): ChildProcess => {
    const out = openSync(logFile, 'a');
    const child = o.netns === undefined ? spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', out, out] })
      : spawn('nsenter', [`--net=/run/netns/${o.netns}`, '--', ...argv], { stdio: ['ignore', out, out] });
    closeSync(out);
    return child;
  };
  closeSync(log);
  let proc = launch();
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await teardown({ address, proc, root, state, lib, run, bridge, ...(o.netns !== undefined ? { netns: o.netns } : {}) });
  };
  try {
    await waitReady(address, proc, logFile);
    for (const image of o.images ?? TEST_IMAGE_FILES) await importIntoContainerd(image, address);
  } catch (err) {
    await stop();
    throw err;
  }
  const reboot = async (): Promise<void> => {
    const shims = shimsOf(address);
    const doomed = [...descendantsOf(shims), ...shims];
    const exited = killNow(proc);
    for (const pid of doomed) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone already */ } }
    await exited;
    await waitGone(doomed);
    for (const m of mountsUnder([state])) await runner.run('umount', ['-l', m]).catch(() => undefined); // /run is empty after a reboot
    await rm(state, { recursive: true, force: true });
    await mkdir(state, { recursive: true, mode: 0o711 });
    proc = launch();
    await waitReady(address, proc, logFile);
  };
  return { address, endpoint: `containerd://${address}`, root, state, configDir, bridge, cniDataDir, get pid() { return proc.pid ?? 0; }, stop, reboot };
}

/** The parent of every process, from /proc/<pid>/stat. */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* exited while we read */ }
  }
  return parents;
}

/** Every descendant of `roots` (the containers a shim runs). */
export function descendantsOf(roots: readonly number[]): number[] {
  const parents = parentsByPid();
  const found = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) if (found.has(ppid) && !found.has(pid)) { found.add(pid); grew = true; }
  }
  return [...found].filter((p) => !roots.includes(p));
}

export async function waitGone(pids: readonly number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && pids.some((p) => existsSync(`/proc/${p}`) && !readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z '))) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Instance { address: string; proc: ChildProcess; root: string; state: string; lib: string; run: string; bridge: string; netns?: string }

async function teardown(i: Instance): Promise<void> {
  const alive = i.proc.exitCode === null && i.proc.signalCode === null;
  if (alive) {
    // pods through CRI, so CNI DEL releases IPs, veths, portmap and firewall rules
    const crictl = crictlBinary();
    if (crictl !== undefined) await runner.run(crictl, ['-r', `unix://${i.address}`, '-t', '30s', 'rmp', '--all', '--force']).catch(() => undefined);
    // whatever is left (containers made with ctr, a failed rmp): kill the tasks so their shims exit
    for (const ns of (await ctr(i.address, ['namespaces', 'ls', '-q']).catch(() => '')).split('\n').filter(Boolean)) {
      for (const id of (await ctr(i.address, ['-n', ns, 'tasks', 'ls', '-q']).catch(() => '')).split('\n').filter(Boolean)) {
        await ctr(i.address, ['-n', ns, 'tasks', 'kill', '-s', 'SIGKILL', id]).catch(() => undefined);
        await ctr(i.address, ['-n', ns, 'tasks', 'delete', '-f', id]).catch(() => undefined);
      }
    }
  }
  await killNow(i.proc);
  await killShimsOf(i.address);
  for (const m of mountsUnder([i.root, i.state, i.run, i.lib])) await runner.run('umount', ['-l', m]).catch(() => undefined);
  const inNs = i.netns === undefined ? [] : ['-n', i.netns];
  await runner.run('ip', [...inNs, 'link', 'del', i.bridge]).catch(() => undefined); // absent unless a pod ran
  await rm(i.lib, { recursive: true, force: true });
  await rm(i.run, { recursive: true, force: true });
}

/** Shims started for this containerd (their command line names its address). */
export function shimsOf(address: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd = '';
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (cmd.startsWith('/usr/bin/containerd-shim') && cmd.split('\0').includes(address)) pids.push(Number(pid));
  }
  return pids;
}

/** Shims started for this containerd (their command line names its address) that are still there. */
async function killShimsOf(address: string): Promise<void> {
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd = '';
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (cmd.startsWith('/usr/bin/containerd-shim') && cmd.split('\0').includes(address)) {
      try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone already */ }
    }
  }
}
