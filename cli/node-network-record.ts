/**
 * How a data dir's node set up its network (the agent's --network-mode and --bridge), recorded by
 * `up` and `join` for `down`: only a host-mode node changes the host's routes and iptables, and
 * the pod bridge `down` deletes is the node's own. A data dir from before the record (or never
 * up) reads as `up`'s defaults: host mode on tk0. Small on purpose, as node-name.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './flags.js';

/** <data-dir>/node-network: one line, "<mode> <bridge>". */
export const NODE_NETWORK_FILE = 'node-network';

export const NETWORK_MODES = ['none', 'node', 'host'] as const;
export type NodeNetworkMode = (typeof NETWORK_MODES)[number];

export interface NodeNetwork { mode: NodeNetworkMode; bridge: string }

export const DEFAULT_NODE_NETWORK: NodeNetwork = { mode: 'host', bridge: 'tk0' };

/** A Linux interface name: 1–15 characters, no '/', no whitespace, not "." or "..". */
const IFNAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;

/** The --network-mode and --bridge flags, checked (a UsageError names the bad one). */
export function nodeNetworkOf(mode: string | undefined, bridge: string | undefined): NodeNetwork {
  const m = mode ?? DEFAULT_NODE_NETWORK.mode;
  if (!(NETWORK_MODES as readonly string[]).includes(m)) throw new UsageError(`--network-mode must be ${NETWORK_MODES.join(', ')}, not "${m}"`);
  const b = bridge ?? DEFAULT_NODE_NETWORK.bridge;
  if (!IFNAME.test(b)) throw new UsageError(`--bridge: "${b}" is not an interface name (1-15 of A-Z a-z 0-9 _ . -)`);
  return { mode: m as NodeNetworkMode, bridge: b };
}

export function recordNodeNetwork(dataDir: string, n: NodeNetwork): void {
  writeFileSync(join(dataDir, NODE_NETWORK_FILE), `${n.mode} ${n.bridge}\n`, { mode: 0o600 });
}

/** What `up`/`join` recorded, checked again (a bad record reads as the defaults), else the defaults. */
export function recordedNodeNetwork(dataDir: string): NodeNetwork {
  let text: string;
  try { text = readFileSync(join(dataDir, NODE_NETWORK_FILE), 'utf8'); } catch { return DEFAULT_NODE_NETWORK; } // never recorded
  const fields = text.trim().split(' ');
  if (fields.length !== 2) return DEFAULT_NODE_NETWORK; // not what up writes
  try { return nodeNetworkOf(fields[0], fields[1]); } catch { return DEFAULT_NODE_NETWORK; } // not what up writes: the defaults
}
