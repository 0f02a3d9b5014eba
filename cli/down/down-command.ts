/**
 * `tinykube down`: stops what `up` (or `join`) started and what runs for the data dir anyway,
 * found by command line and data dir, not by pid file (node-processes.ts): the agents first, so
 * no pod comes back, then the control plane while the node's pods, pod bridge and (host mode)
 * the host's pod network are removed. `--purge` also unmounts what is mounted inside the data dir
 * (the pods' network-namespace pins, memory emptyDirs: unmount-under.ts) and deletes it.
 * Idempotent: run on a stopped node it finds nothing to stop and succeeds.
 */
import { existsSync } from 'node:fs';
import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_DATA_DIR } from '../defaults.js';
import { bool, parseFlags, str, UsageError } from '../flags.js';
import type { IoStreams } from '../io-streams.js';
import { NODE_NAME_FILE, nodeNameOf } from '../node-name.js';
import { NODE_NETWORK_FILE, recordedNodeNetwork } from '../node-network-record.js';
import { AGENT_PID_FILE, AGENT_STOP_GRACE_MS, CONTROL_PID_FILE, findNodeProcesses, SERVER_STOP_GRACE_MS, stopNodeProcesses } from '../node-processes.js';
import type { NodeProcess } from '../node-processes.js';
import { RUNTIME_ENDPOINT_FILE, recordedRuntimeEndpoint } from '../node-runtime.js';
import { unmountUnder } from './unmount-under.js';

/** The node's pods, pod bridge and host network; nothing for a data dir that never held a node (a typo, a control plane alone). */
async function removeNode(dataDir: string, io: IoStreams): Promise<void> {
  if (![NODE_NETWORK_FILE, RUNTIME_ENDPOINT_FILE, NODE_NAME_FILE].some((f) => existsSync(join(dataDir, f)))) return;
  const { removeHostContainerdNetwork, removeHostNetwork, removeNodeContainers } = await import('./down-node.js');
  const runtimeEndpoint = recordedRuntimeEndpoint(dataDir);
  const network = recordedNodeNetwork(dataDir);
  const removed = await removeNodeContainers(dataDir, nodeNameOf(dataDir), { runtimeEndpoint, bridge: network.bridge });
  if (removed > 0) io.out.write(`Removed ${removed} pod(s)\n`);
  if (network.mode === 'host') await removeHostNetwork(network.bridge);
  await removeHostContainerdNetwork(runtimeEndpoint);
}

const pids = (ps: readonly NodeProcess[]): string => ps.map((p) => p.pid).join(', ');

export async function downCommand(argv: readonly string[], io: IoStreams): Promise<number> {
  const p = parseFlags(argv, { values: ['data-dir'], booleans: ['purge'] });
  if (p.positionals.length > 0) throw new UsageError(`down takes no arguments, got "${p.positionals[0]}"`);
  const dataDir = str(p, 'data-dir', DEFAULT_DATA_DIR);
  const running = findNodeProcesses(dataDir);
  const agents = running.filter((x) => x.role === 'agent');
  const servers = running.filter((x) => x.role === 'server');
  if (agents.length > 0) {
    await stopNodeProcesses(agents, dataDir, AGENT_STOP_GRACE_MS);
    io.out.write(`Stopped the node agent${agents.length > 1 ? 's' : ''} (pid ${pids(agents)})\n`);
  }
  // the control plane stops while the node's pods and network go (neither needs the other)
  await Promise.all([stopNodeProcesses(servers, dataDir, SERVER_STOP_GRACE_MS), removeNode(dataDir, io)]);
  if (servers.length > 0) io.out.write(`Stopped the control plane${servers.length > 1 ? 's' : ''} (pid ${pids(servers)})\n`);
  if (running.length === 0) io.out.write('Nothing was running\n');
  for (const f of [AGENT_PID_FILE, CONTROL_PID_FILE]) await unlink(join(dataDir, f)).catch(() => undefined); // absent already: fine
  if (bool(p, 'purge')) {
    const unmounted = await unmountUnder(dataDir);
    if (unmounted.length > 0) io.out.write(`Unmounted ${unmounted.length} mount(s) inside ${dataDir}\n`);
    await rm(dataDir, { recursive: true, force: true });
    io.out.write(`Deleted ${dataDir}\n`);
  }
  return 0;
}
