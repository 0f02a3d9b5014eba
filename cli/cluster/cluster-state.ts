/**
 * What a local cluster owns, written to <data-dir>/cluster.json step by step while `cluster up`
 * creates it, so `cluster down` (and the rollback of a failed `up`) removes exactly that. Also the
 * registry of clusters under the clusters root: `.names/<C>` holds the data dir (created with
 * O_EXCL, which reserves the name), `.index/<k>` holds the name owning index k.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../control/pki/write-file-atomic.js';
import type { ClusterPlan } from './cluster-plan.js';
import { MAX_CLUSTERS } from './cluster-plan.js';

export interface ClusterState {
  version: 1;
  plan: ClusterPlan;
  apiPort: number;
  /** The runtime --runtime chose (its default endpoint); containerd nodes use their own, in `containerd`. */
  runtimeEndpoint: string;
  createdAt: string;
  /** Network namespaces we created, in creation order. */
  netns: string[];
  /** Links we created in the host netns. */
  hostLinks: string[];
  /** Host routes we added, as the arguments after `ip route add|del`. */
  hostRoutes: string[][];
  serverPid?: number;
  /** node name → agent pid */
  agentPids: Record<string, number>;
  /** `--runtime containerd`: node name → that node's own containerd (absent on Docker clusters). */
  containerd?: Record<string, NodeContainerd>;
}

/** One node's containerd: its paths (recorded before it starts) and its pid once started. */
export interface NodeContainerd {
  /** The gRPC socket; the node's agent runs with --runtime-endpoint containerd://<address>. */
  address: string;
  /** Persistent data (content store, snapshots): under the node's data dir. */
  root: string;
  /** Runtime state (shim bundles, runc root, pod netns files): under runDir. */
  state: string;
  /** The directory holding the socket and state, removed by `down`. */
  runDir: string;
  /** config.toml, the CNI conf_template and conf_dir (cri/containerd/config-writer.ts). */
  configDir: string;
  /** The CNI network name (its results are cached as /var/lib/cni/results/<network>-<id>-eth0). */
  network: string;
  pid?: number;
}

export const STATE_FILE = 'cluster.json';

export function newState(plan: ClusterPlan, runtimeEndpoint: string, now = new Date()): ClusterState {
  return { version: 1, plan, apiPort: 0, runtimeEndpoint, createdAt: now.toISOString(), netns: [], hostLinks: [], hostRoutes: [], agentPids: {} };
}

export async function saveState(s: ClusterState): Promise<void> {
  await writeFileAtomic(join(s.plan.dataDir, STATE_FILE), `${JSON.stringify(s, null, 2)}\n`, 0o600);
}

export function loadState(dataDir: string): ClusterState | undefined {
  const f = join(dataDir, STATE_FILE);
  if (!existsSync(f)) return undefined;
  const s = JSON.parse(readFileSync(f, 'utf8')) as ClusterState;
  if (s.version !== 1) throw new Error(`${f}: unknown state version ${String(s.version)}`);
  return s;
}

export class ClusterRegistry {
  constructor(readonly root: string) {}

  private get namesDir(): string { return join(this.root, '.names'); }
  private get indexDir(): string { return join(this.root, '.index'); }

  /** Reserves the name (false when it is taken). */
  async reserveName(name: string, dataDir: string): Promise<boolean> {
    await mkdir(this.namesDir, { recursive: true, mode: 0o700 });
    return await exclusiveWrite(join(this.namesDir, name), `${dataDir}\n`);
  }

  /** The data dir of a registered cluster, or undefined. */
  async dataDirOf(name: string): Promise<string | undefined> {
    try { return (await readFile(join(this.namesDir, name), 'utf8')).trim(); } catch { return undefined; } // no such name file: not registered
  }

  async names(): Promise<string[]> {
    try { return (await readdir(this.namesDir)).sort(); } catch { return []; } // no names dir yet: no clusters
  }

  /**
   * Reserves the lowest free index whose addresses are not in use on the host (`taken(k)`). An
   * index file naming a cluster that is no longer registered is stale and is taken over.
   */
  async reserveIndex(name: string, taken: (k: number) => boolean): Promise<number> {
    await mkdir(this.indexDir, { recursive: true, mode: 0o700 });
    for (let k = 1; k <= MAX_CLUSTERS; k++) {
      if (taken(k)) continue;
      const f = join(this.indexDir, String(k));
      if (await exclusiveWrite(f, `${name}\n`)) return k;
      const owner = (await readFile(f, 'utf8').catch(() => '')).trim(); // unreadable: treated as stale
      if (owner !== '' && await this.dataDirOf(owner) !== undefined) continue;
      await unlink(f).catch(() => undefined); // stale: its cluster is gone
      if (await exclusiveWrite(f, `${name}\n`)) return k;
    }
    throw new Error(`no free cluster slot: at most ${MAX_CLUSTERS} local clusters (see tinykube cluster list)`);
  }

  /** Releases the index (if this cluster holds it) and the name. Idempotent. */
  async release(name: string, index: number | undefined): Promise<void> {
    if (index !== undefined) {
      const f = join(this.indexDir, String(index));
      const owner = (await readFile(f, 'utf8').catch(() => '')).trim(); // no index file: nothing of ours to release
      if (owner === name) await unlink(f).catch(() => undefined); // gone meanwhile: fine
    }
    await unlink(join(this.namesDir, name)).catch(() => undefined); // already gone: fine
  }
}

async function exclusiveWrite(path: string, text: string): Promise<boolean> {
  try {
    await writeFile(path, text, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}
