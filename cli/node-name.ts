/** The name of the node a data dir runs (small on purpose: `join` imports it). */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Where `join` records the node name, for `down`. */
export const NODE_NAME_FILE = 'node-name';

/** What `join --node-name` recorded in <data-dir>/node-name, else the host name (as `up` names its node). */
export function nodeNameOf(dataDir?: string): string {
  if (dataDir !== undefined) {
    try {
      const name = readFileSync(join(dataDir, NODE_NAME_FILE), 'utf8').trim();
      if (name !== '') return name;
    } catch { /* not a joined node: the host name */ }
  }
  return hostname().toLowerCase();
}
