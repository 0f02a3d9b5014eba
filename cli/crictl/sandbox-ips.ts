/**
 * Finds a sandbox's pod IP in the agents' sandbox stores (<data-dir>/runtime/sandboxes/<id>.json;
 * Docker itself does not know the CNI address): the given --data-dir, else the default data dir
 * and every cluster node's (<root>/clusters/<C>/nodes/<N>). Missing stores are not errors.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SandboxStore } from '../../cri/docker/sandbox-store.js';
import { DEFAULT_DATA_DIR } from '../defaults.js';


export type PodIpLookup = (podSandboxId: string) => Promise<string | undefined>;

async function subdirs(dir: string): Promise<string[]> {
  // an absent or unreadable directory simply holds no stores
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.map((n) => join(dir, n));
}

async function candidateDataDirs(root: string): Promise<string[]> {
  const nodes = await Promise.all((await subdirs(join(root, 'clusters'))).map((c) => subdirs(join(c, 'nodes'))));
  return [root, ...nodes.flat()];
}

export function createPodIpLookup(opts: { dataDir?: string; root?: string } = {}): PodIpLookup {
  return async (id) => {
    const dirs = opts.dataDir !== undefined ? [opts.dataDir] : await candidateDataDirs(opts.root ?? DEFAULT_DATA_DIR);
    for (const d of dirs) {
      // a corrupt record elsewhere must not hide the pod: skip it
      const rec = await new SandboxStore(join(d, 'runtime')).get(id).catch(() => undefined); // unreadable here: try the next dir
      if (rec?.networkReady === true && rec.ip !== undefined) return rec.ip;
    }
    return undefined;
  };
}
