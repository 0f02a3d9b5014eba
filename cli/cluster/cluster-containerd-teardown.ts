/**
 * Removes one node's containerd and everything it made, in this order: its pods through CRI while
 * it runs (StopPodSandbox runs CNI DEL inside the node netns, unmounts the pod's netns file, shm
 * and rootfs, and ends the shims), containerd itself by PID, then a sweep for what a crashed or
 * stuck instance leaves (shims outlive containerd): runc containers under its own runc root, shims
 * naming its socket, mounts under its dirs, its sandboxes' CNI result cache files (its network's
 * and the loopback's); last its dirs. Each step tolerates "already gone", so a second `down` after
 * a failed one finishes the job.
 */
import { dirname, join } from 'node:path';
import type { Runner } from '../../lib/exec/runner.js';
import { endpointOf } from './cluster-containerd.js';
import type { NodeContainerd } from './cluster-state.js';

/** The host as the sweep sees it (the real one in cluster-containerd-host.ts, fakes in tests). */
export interface ContainerdHost {
  exec: Runner;
  /** Stops the process if it is still ours (its command line contains marker). */
  stopProcess(pid: number | undefined, marker: string): Promise<boolean>;
  /** Stops and removes every pod sandbox through CRI; returns how many. */
  removePods(endpoint: string): Promise<number>;
  /** PIDs of live processes with `arg` as one of their arguments. */
  pidsWithArg(arg: string): number[];
  /** SIGKILL, then waits until the process is gone. */
  kill(pid: number): Promise<void>;
  /** Mount points at or under any of dirs, deepest first. */
  mountsUnder(dirs: readonly string[]): string[];
  /** The CNI result cache files of a network (libcni's /var/lib/cni/results/<network>-<id>-<ifname>). */
  cniResults(network: string): string[];
  remove(path: string): Promise<void>;
  /** Removes a directory only when it is empty (another cluster's may still be in it). */
  removeIfEmpty(path: string): Promise<void>;
}

/** The network name containerd's CRI gives the loopback it sets up in every sandbox. */
export const LOOPBACK_NETWORK = 'cni-loopback';

export interface ContainerdTeardown { pods: number; stopped: boolean; swept: string[] }

/** Tears the node's containerd down; returns what it found to do. Throws only when something could not be removed. */
export async function teardownContainerd(c: NodeContainerd, h: ContainerdHost): Promise<ContainerdTeardown> {
  const swept: string[] = [];
  let pods = 0;
  try {
    pods = await h.removePods(endpointOf(c));
  } catch {
    // containerd not running or not answering: its pods are left to the sweep below
  }
  const stopped = await h.stopProcess(c.pid, c.configDir);

  const runcRoot = join(c.state, 'runc', 'k8s.io');
  const ids = (await h.exec.run('runc', ['--root', runcRoot, 'list', '-q']).then((r) => r.stdout, () => '')) // no runc root: no containers
    .split('\n').map((l) => l.trim()).filter(Boolean);
  for (const id of ids) {
    await h.exec.run('runc', ['--root', runcRoot, 'delete', '--force', id]);
    swept.push(`container ${id.slice(0, 12)}`);
  }
  for (const pid of h.pidsWithArg(c.address)) {
    await h.kill(pid);
    swept.push(`shim ${pid}`);
  }
  for (const m of h.mountsUnder([c.runDir, c.state, c.root])) {
    await h.exec.run('umount', [m]).catch(() => h.exec.run('umount', ['-l', m])); // busy: detach it, it goes when released
    swept.push(`mount ${m}`);
  }
  // the pod network's results name the sandboxes; the loopback network CRI adds caches theirs too
  const results = h.cniResults(c.network);
  const sandboxes = new Set([...ids, ...results.map((f) => /-([0-9a-f]{64})-[^-]+$/.exec(f)?.[1] ?? '')]);
  const loopback = h.cniResults(LOOPBACK_NETWORK).filter((f) => sandboxes.has(/-([0-9a-f]{64})-[^-]+$/.exec(f)?.[1] ?? '-'));
  for (const f of [...results, ...loopback]) {
    await h.remove(f);
    swept.push(`CNI result ${f}`);
  }
  const left = h.mountsUnder([c.runDir, c.state, c.root]);
  if (left.length > 0) throw new Error(`still mounted: ${left.join(', ')}`);
  await h.remove(c.runDir);
  await h.removeIfEmpty(dirname(c.runDir)); // the cluster's, once its last node is gone
  await h.removeIfEmpty(dirname(dirname(c.runDir)));
  await h.remove(c.root);
  return { pods, stopped, swept };
}
