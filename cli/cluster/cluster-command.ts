/**
 * `tinykube cluster up|down|list`: local multi-node clusters made of network namespaces (DESIGN §7,
 * docs/cluster.md). Flags are parsed here; the steps live in cluster-up.ts and cluster-teardown.ts.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeconfigOf } from './cluster-agents.js';
import { removeScopeContainers } from './cluster-containers.js';
import { openPodRemover, realContainerdHost } from './cluster-containerd-host.js';
import type { Runner } from '../../lib/exec/runner.js';
import { clusterRunner } from './cluster-exec.js';
import { parseNodeCount, validateClusterName } from './cluster-plan.js';
import { DEFAULT_CLUSTERS_ROOT, runtimeEndpointOf } from '../defaults.js';
import { ours, stopProcess } from '../daemon-processes.js';
import { ClusterRegistry, loadState, saveState, STATE_FILE } from './cluster-state.js';
import type { ClusterState } from './cluster-state.js';
import { isEmpty, teardownCluster } from './cluster-teardown.js';
import type { IoStreams } from '../io-streams.js';
import { clusterUp } from './cluster-up.js';
import { bool, durationMs, parseFlags, str, UsageError } from '../flags.js';
import type { ParsedFlags } from '../flags.js';
import { SERVER_BOOLEAN_FLAGS } from '../server/server-flags.js';

export { CLUSTER_USAGE } from './cluster-usage.js';

export interface ClusterCommandDeps { root?: string; exec?: Runner }

export async function clusterCommand(argv: readonly string[], io: IoStreams, deps: ClusterCommandDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  const registry = new ClusterRegistry(deps.root ?? DEFAULT_CLUSTERS_ROOT);
  const exec = deps.exec ?? clusterRunner();
  switch (sub) {
    case 'up': {
      const p = parseFlags(rest, { values: ['name', 'nodes', 'runtime', 'data-dir', 'api-port', ...SERVER_DURATION_FLAGS], booleans: SERVER_BOOLEAN_FLAGS });
      if (p.positionals.length > 0) throw new UsageError(`cluster up takes no arguments, got "${p.positionals[0]}"`);
      const name = validateClusterName(str(p, 'name'));
      const apiPortText = str(p, 'api-port');
      const apiPort = apiPortText === undefined ? undefined : Number(apiPortText);
      if (apiPort !== undefined && !(Number.isInteger(apiPort) && apiPort > 0 && apiPort < 65536)) throw new UsageError(`--api-port: not a port: ${apiPortText ?? ''}`);
      return await clusterUp({
        name, nodes: parseNodeCount(str(p, 'nodes')), dataDir: resolve(str(p, 'data-dir', join(registry.root, name))),
        runtimeEndpoint: runtimeEndpointOf(str(p, 'runtime', 'docker')), ...(apiPort !== undefined ? { apiPort } : {}),
        main: fileURLToPath(new URL('../main.js', import.meta.url)), registry, exec, io,
        serverFlags: [...SERVER_BOOLEAN_FLAGS.filter((f) => bool(p, f)).map((f) => `--${f}`), ...durationFlags(p)],
        teardown: { stopProcess, removeContainers: removeScopeContainers, linkGone: (l) => linkGone(exec, l), containerd: realContainerdHost(exec, openPodRemover) },
      });
    }
    case 'down': {
      const p = parseFlags(rest, { values: ['name'], booleans: ['keep-data'] });
      return await clusterDown(validateClusterName(str(p, 'name')), bool(p, 'keep-data'), registry, exec, io);
    }
    case 'list': {
      parseFlags(rest, {});
      return await clusterList(registry, io);
    }
    case undefined: throw new UsageError('cluster needs a subcommand: up, down or list');
    default: throw new UsageError(`unknown cluster subcommand "${sub}" (want up, down or list)`);
  }
}

/** The node lifecycle controller's periods (kube-controller-manager's flags), checked here and passed to the server. */
const SERVER_DURATION_FLAGS = ['node-monitor-grace-period', 'node-monitor-period'] as const;

function durationFlags(p: ParsedFlags): string[] {
  return SERVER_DURATION_FLAGS.flatMap((f) => {
    const v = str(p, f);
    if (v === undefined) return [];
    durationMs(f, v);
    return [`--${f}`, v];
  });
}

async function linkGone(exec: Runner, name: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const ok = await exec.run('ip', ['link', 'show', name]).then(() => false, () => true);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function clusterDown(name: string, keepData: boolean, registry: ClusterRegistry, exec: Runner, io: IoStreams): Promise<number> {
  const dataDir = await registry.dataDirOf(name);
  if (dataDir === undefined) throw new Error(`cluster "${name}" not found (see tinykube cluster list)`);
  const s = loadState(dataDir);
  if (s !== undefined) {
    const errors = await teardownCluster(s, {
      exec, stopProcess, removeContainers: removeScopeContainers, linkGone: (l) => linkGone(exec, l), containerd: realContainerdHost(exec, openPodRemover),
      save: () => saveState(s), progress: (l) => io.out.write(`${l}\n`),
    });
    if (errors.length > 0 || !isEmpty(s)) {
      for (const e of errors) io.err.write(`tinykube: ${e}\n`);
      throw new Error(`cluster "${name}" was not removed completely; what is left is listed in ${join(dataDir, STATE_FILE)} (run cluster down again)`);
    }
    io.out.write(`Removed the network of cluster "${name}" (${s.plan.nodes.length} node(s))\n`);
  }
  if (keepData) {
    for (const n of s?.plan.nodes ?? []) {
      await rm(join(n.dataDir, 'cni'), { recursive: true, force: true });
      await rm(join(n.dataDir, 'runtime'), { recursive: true, force: true });
    }
    await rm(join(dataDir, STATE_FILE), { force: true });
    io.out.write(`Kept ${dataDir}\n`);
  } else {
    await rm(dataDir, { recursive: true, force: true });
    io.out.write(`Deleted ${dataDir}\n`);
  }
  await registry.release(name, s?.plan.index);
  return 0;
}

/** running: control plane and every agent alive; stopped: none; degraded: some. */
export function statusOf(s: ClusterState | undefined): 'running' | 'stopped' | 'degraded' {
  if (s === undefined) return 'stopped';
  const procs = [ours(s.serverPid, s.plan.dataDir), ...s.plan.nodes.map((n) => ours(s.agentPids[n.name], n.dataDir)),
    ...Object.values(s.containerd ?? {}).map((c) => ours(c.pid, c.configDir))];
  if (procs.every(Boolean)) return 'running';
  return procs.some(Boolean) ? 'degraded' : 'stopped';
}

async function clusterList(registry: ClusterRegistry, io: IoStreams): Promise<number> {
  const rows: string[][] = [['NAME', 'NODES', 'STATUS', 'KUBECONFIG']];
  for (const name of await registry.names()) {
    const dir = await registry.dataDirOf(name);
    let s: ClusterState | undefined;
    try { s = dir === undefined ? undefined : loadState(dir); } catch { s = undefined; } // unreadable state: listed as stopped
    rows.push([name, String(s?.plan.nodes.length ?? 0), statusOf(s), s ? kubeconfigOf(s.plan) : '<none>']);
  }
  if (rows.length === 1) { io.out.write('No local clusters\n'); return 0; }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)) + 3);
  for (const r of rows) io.out.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('')}\n`);
  return 0;
}
