/**
 * The real host behind a containerd node's teardown (ContainerdHost): processes from /proc, mounts
 * from /proc/self/mountinfo, libcni's result cache, and the node's pods through CRI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRuntimeEndpoint } from '../../cri/endpoint.js';
import { RemoteRuntime } from '../../cri/remote/remote-runtime.js';
import type { RuntimeService } from '../../cri/types.js';
import type { Runner } from '../../lib/exec/runner.js';
import { alive, stopProcess } from '../daemon-processes.js';
import type { ContainerdHost } from './cluster-containerd-teardown.js';

/** libcni's cache dir (not configurable in containerd 1.6, cri-notes G2). */
export const CNI_RESULTS_DIR = '/var/lib/cni/results';

/** The part of the runtime contract pod removal needs, and how to let go of it. */
export type PodRemover = Pick<RuntimeService, 'listPodSandbox' | 'stopPodSandbox' | 'removePodSandbox'> & { close?(): void };

/** Stops and removes every sandbox of the runtime (each stop is CNI DEL; both are idempotent). */
export async function removeAllPods(rt: PodRemover): Promise<number> {
  const pods = await rt.listPodSandbox();
  await Promise.all(pods.map(async (p) => {
    await rt.stopPodSandbox(p.id);
    await rt.removePodSandbox(p.id);
  }));
  return pods.length;
}

/** PURE. Mount points (field 5 of mountinfo, octal escapes undone) at or under any of dirs, deepest first. */
export function mountPointsUnder(mountinfo: string, dirs: readonly string[]): string[] {
  const points = mountinfo.split('\n')
    .map((l) => l.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p): p is string => p !== undefined && dirs.some((d) => p === d || p.startsWith(`${d}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** PURE. The result cache files of one network among a listing of the cache dir. */
export function resultsOf(files: readonly string[], network: string): string[] {
  const re = new RegExp(`^${network.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{64}-[A-Za-z0-9_.-]+$`);
  return files.filter((f) => re.test(f));
}

function pidsWithArg(arg: string): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').includes(arg)) pids.push(Number(e));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

async function kill(pid: number): Promise<void> {
  try { process.kill(pid, 'SIGKILL'); } catch { return; } // exited meanwhile
  const deadline = Date.now() + 5_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

export function realContainerdHost(exec: Runner, openRuntime: (endpoint: string) => PodRemover): ContainerdHost {
  return {
    exec, stopProcess, pidsWithArg, kill,
    async removePods(endpoint) {
      const rt = openRuntime(endpoint);
      try { return await removeAllPods(rt); } finally { rt.close?.(); }
    },
    mountsUnder: (dirs) => mountPointsUnder(readFileSync('/proc/self/mountinfo', 'utf8'), dirs),
    cniResults(network) {
      let files: string[];
      try { files = readdirSync(CNI_RESULTS_DIR); } catch { return []; } // no cache dir: nothing cached
      return resultsOf(files, network).map((f) => join(CNI_RESULTS_DIR, f));
    },
    remove: (path) => rm(path, { recursive: true, force: true }),
    removeIfEmpty: (path) => rmdir(path).catch(() => undefined), // not empty, or gone: leave it

  };
}

/** The node's pods through CRI v1 gRPC on its containerd socket (RemoteRuntime). */
export function openPodRemover(endpoint: string): PodRemover {
  const ep = parseRuntimeEndpoint(endpoint);
  if (ep.kind !== 'containerd') throw new Error(`not a containerd endpoint: ${endpoint}`);
  return new RemoteRuntime({ socketPath: ep.address });
}
