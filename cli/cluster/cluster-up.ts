/**
 * `tinykube cluster up --name C --nodes N`: the steps, in order (kind-style), each recorded in
 * <D>/cluster.json as it succeeds: reserve the name and an index → LAN netns + host veth → node
 * netns → unreachable host routes → (--runtime containerd: one containerd per node netns, images
 * imported, cluster-containerd.ts) → control plane on the host's LAN address → one agent per node
 * netns → wait for Ready Nodes, routing each podCIDR via its node. Any failure (or Ctrl-C) rolls
 * back exactly what was made, then reports the error.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { agentCommandLine, agentLogOf, joinEnvironment, kubeconfigOf, nodeJoinCredentials, waitForNodes } from './cluster-agents.js';
import type { Runner } from '../../lib/exec/runner.js';
import { parseRuntimeEndpoint } from '../../cri/endpoint.js';
import { containerdLogOf, containerdPreflight, endpointOf, startContainerd, waitContainerd } from './cluster-containerd.js';
import { addPodRoute, addUnreachableRoutes, createLan, createNode, indexInUse } from './cluster-net.js';
import type { NetSteps } from './cluster-net.js';
import { apiPortCandidates, planCluster } from './cluster-plan.js';
import { ours, spawnDetached } from '../daemon-processes.js';
import { DAEMON_NODE_FLAGS } from '../daemon-node.js';
import type { Started } from '../daemon-processes.js';
import type { ClusterRegistry, ClusterState } from './cluster-state.js';
import { loadState, newState, saveState } from './cluster-state.js';
import type { TeardownDeps } from './cluster-teardown.js';
import { teardownCluster } from './cluster-teardown.js';

import type { IoStreams } from '../io-streams.js';

export interface ClusterUpOptions {
  name: string;
  nodes: number;
  dataDir: string;
  runtimeEndpoint: string;
  apiPort?: number;
  /** More `tinykube server` flags (e.g. --legacy-service-account-token-secrets). */
  serverFlags?: readonly string[];
  /** The compiled CLI (dist/cli/main.js) the server and agents run from. */
  main: string;
  registry: ClusterRegistry;
  exec: Runner;
  teardown: Omit<TeardownDeps, 'exec' | 'save' | 'progress'>;
  io: IoStreams;
  readyTimeoutMs?: number;
}

export async function clusterUp(o: ClusterUpOptions): Promise<number> {
  if (!await o.registry.reserveName(o.name, o.dataDir)) {
    const dir = await o.registry.dataDirOf(o.name);
    const s = dir === undefined ? undefined : loadState(dir);
    if (s !== undefined && ours(s.serverPid, s.plan.dataDir)) throw new Error(`cluster "${o.name}" is already running (export KUBECONFIG=${kubeconfigOf(s.plan)})`);
    throw new Error(`cluster "${o.name}" exists but is not running: remove it first with "tinykube cluster down --name ${o.name}"`);
  }
  if (existsSync(o.dataDir) && readdirSync(o.dataDir).length > 0) {
    await o.registry.release(o.name, undefined);
    throw new Error(`data dir ${o.dataDir} is not empty: remove it or pass another --data-dir`);
  }
  const onContainerd = parseRuntimeEndpoint(o.runtimeEndpoint).kind === 'containerd';
  let index: number | undefined;
  let state: ClusterState | undefined;
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (onContainerd) containerdPreflight();
    index = await o.registry.reserveIndex(o.name, await indexInUse(o.exec));
    await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
    const plan = planCluster({ name: o.name, index, nodes: o.nodes, dataDir: o.dataDir });
    const s = state = newState(plan, o.runtimeEndpoint);
    await saveState(s);
    const x: NetSteps = { exec: o.exec, state: s, save: () => saveState(s) };
    o.io.err.write(`Creating cluster "${plan.name}": LAN ${plan.lanCidr}, pods ${plan.clusterCidr}, services ${plan.serviceCidr}\n`);
    await createLan(x);
    for (const n of plan.nodes) await createNode(x, n);
    await addUnreachableRoutes(x);
    o.io.err.write(` ✓ network: ${plan.nodes.length} node namespace(s) on ${plan.lanNetns}, host link ${plan.hostLink} ${plan.hostIP}\n`);
    checkAbort(ac.signal);
    const runtimes = new Map<string, Started>();
    if (onContainerd) {
      s.containerd = {};
      for (const n of plan.nodes) runtimes.set(n.name, await startContainerd(x, n));
    }

    s.apiPort = await freeApiPort(plan.hostIP, apiPortCandidates(index, o.apiPort));
    const server = spawnDetached(process.execPath, [...DAEMON_NODE_FLAGS, o.main, 'server', '--data-dir', plan.dataDir, '--listen', `${plan.hostIP}:${s.apiPort}`,
      '--advertise-address', plan.hostIP, '--cluster-cidr', plan.clusterCidr, '--service-cidr', plan.serviceCidr, ...(o.serverFlags ?? [])], join(plan.dataDir, 'control.log'));
    s.serverPid = server.pid;
    await saveState(s);
    const dots = progress(o.io.err, `Starting the control plane on https://${plan.hostIP}:${s.apiPort} (pid ${server.pid}, logs in ${join(plan.dataDir, 'control.log')})`);
    await waitReady(plan.hostIP, s.apiPort, server, join(plan.dataDir, 'control.log'), o.readyTimeoutMs ?? 60_000, dots.tick, ac.signal);
    dots.done(' ready');
    if (onContainerd) {
      await Promise.all(plan.nodes.map((n) => waitContainerd(x, n, runtimes.get(n.name)!)));
      o.io.err.write(` ✓ containerd: one per node (logs in ${join(plan.dataDir, 'nodes', '<node>', 'containerd.log')}), images imported\n`);
    }
    checkAbort(ac.signal);

    const agents: Started[] = [];
    const joinWith = await nodeJoinCredentials(plan, `https://${plan.hostIP}:${s.apiPort}`);
    for (const n of plan.nodes) {
      await mkdir(n.dataDir, { recursive: true, mode: 0o700 });
      const c = s.containerd?.[n.name];
      const runtimeEndpoint = c === undefined ? o.runtimeEndpoint : endpointOf(c);
      const a = spawnDetached('ip', agentCommandLine(plan, n, { node: process.execPath, main: o.main, runtimeEndpoint, join: joinWith }), agentLogOf(n), joinEnvironment(joinWith));
      agents.push(a);
      s.agentPids[n.name] = a.pid;
      await saveState(s);
    }
    const nodeDots = progress(o.io.err, `Starting ${plan.nodes.length} node agent(s) (logs in ${join(plan.dataDir, 'nodes', '<node>', 'agent.log')})`);
    await waitForNodes({
      plan, apiPort: s.apiPort, timeoutMs: o.readyTimeoutMs ?? 120_000, signal: ac.signal, tick: nodeDots.tick,
      onPodCidr: (n, cidr) => addPodRoute(x, cidr, n.ip),
      checkAlive: () => {
        plan.nodes.forEach((n, i) => {
          if (agents[i]?.exited()) throw new Error(`the agent of ${n.name} exited during start: see ${agentLogOf(n)}`);
          if (runtimes.get(n.name)?.exited()) throw new Error(`the containerd of ${n.name} exited: see ${containerdLogOf(n)}`);
        });
        if (server.exited()) throw new Error(`the control plane exited: see ${join(plan.dataDir, 'control.log')}`);
      },
    });
    nodeDots.done(' ready');
    const width = Math.max(4, ...plan.nodes.map((n) => n.name.length)) + 2;
    o.io.out.write(`${'NODE'.padEnd(width)}IP\n${plan.nodes.map((n) => `${n.name.padEnd(width)}${n.ip}\n`).join('')}`);
    o.io.out.write(`export KUBECONFIG=${kubeconfigOf(plan)}\n`);
    return 0;
  } catch (err) {
    o.io.err.write(`\nCluster "${o.name}" failed to come up; rolling back\n`);
    if (state !== undefined) {
      const s = state;
      const errors = await teardownCluster(s, { ...o.teardown, exec: o.exec, save: () => saveState(s), progress: (l) => o.io.err.write(` - ${l}\n`) });
      for (const e of errors) o.io.err.write(` ! ${e}\n`);
      if (errors.length > 0) throw new Error(`${(err as Error).message} (rollback incomplete: run "tinykube cluster down --name ${o.name}")`, { cause: err });
    }
    await rm(o.dataDir, { recursive: true, force: true });
    await o.registry.release(o.name, index);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('interrupted');
}

function progress(err: NodeJS.WritableStream, line: string): { tick: () => void; done: (s: string) => void } {
  const tty = (err as { isTTY?: boolean }).isTTY === true;
  err.write(line);
  if (!tty) err.write('\n');
  return { tick: () => { if (tty) err.write('.'); }, done: (s) => { if (tty) err.write(`${s}\n`); } };
}

/** The first candidate port that can be bound on host (a wildcard listener elsewhere makes 6443 busy). */
async function freeApiPort(host: string, candidates: readonly number[]): Promise<number> {
  for (const port of candidates) {
    const ok = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free API port on ${host} (tried ${candidates.join(', ')}): pass --api-port`);
}

async function waitReady(host: string, port: number, server: Started, log: string, timeoutMs: number, tick: () => void, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    checkAbort(signal);
    if (server.exited()) throw new Error(`the control plane exited during start: see ${log}`);
    if (await readyz(host, port)) return;
    tick();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the control plane is not ready after ${timeoutMs / 1000}s: see ${log}`);
}

function readyz(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/readyz', rejectUnauthorized: false, timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}
