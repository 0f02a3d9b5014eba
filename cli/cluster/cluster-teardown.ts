/**
 * Removes what a cluster's state lists, in this order: agents (all at once; so no pod comes back), the pods'
 * containers of each node scope (on containerd nodes: each node's containerd with its pods, mounts
 * and dirs, cluster-containerd-teardown.ts, the nodes in parallel), the control plane, the host
 * links, the namespaces (their veths, bridges, routes, iptables rules and conntrack go with them), the host routes. Each removed item
 * leaves the state at once; "already gone" counts as removed (idempotent, safe to re-run). Errors
 * are collected, not thrown, so one failure does not leave the rest behind.
 */
import type { Runner } from '../../lib/exec/runner.js';
import type { ContainerdHost } from './cluster-containerd-teardown.js';
import { teardownContainerd } from './cluster-containerd-teardown.js';
import { isGone } from './cluster-exec.js';
import type { ClusterState } from './cluster-state.js';

export interface TeardownDeps {
  exec: Runner;
  /** Stops the process if it is still ours (cmdline contains marker). */
  stopProcess(pid: number | undefined, marker: string): Promise<boolean>;
  /** Removes every container of a runtime scope; returns how many. */
  removeContainers(runtimeEndpoint: string, scope: string): Promise<number>;
  save(): Promise<void>;
  progress(line: string): void;
  /** Waits until a host link has disappeared (ip netns del is asynchronous). */
  linkGone?(name: string): Promise<void>;
  /** The host as a containerd node's teardown sees it (needed when the state lists containerd nodes). */
  containerd?: ContainerdHost;
}

export async function teardownCluster(s: ClusterState, d: TeardownDeps): Promise<string[]> {
  const errors: string[] = [];
  const attempt = async (what: string, fn: () => Promise<void>): Promise<boolean> => {
    try { await fn(); return true; } catch (e) {
      if (isGone(e)) return true;
      errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  };
  const ip = (...args: string[]) => d.exec.run('ip', args).then(() => undefined);

  await Promise.all(s.plan.nodes.map(async (n) => { // each agent takes a few seconds to shut down: all at once
    const pid = s.agentPids[n.name];
    if (pid === undefined) return;
    if (await attempt(`stop agent ${n.name}`, async () => { if (await d.stopProcess(pid, n.dataDir)) d.progress(`Stopped the agent of ${n.name} (pid ${pid})`); })) {
      delete s.agentPids[n.name];
      await d.save();
    }
  }));
  await Promise.all(s.plan.nodes.map(async (n) => {
    const c = s.containerd?.[n.name];
    if (c === undefined) return;
    const host = d.containerd;
    if (await attempt(`remove the containerd of ${n.name}`, async () => {
      if (host === undefined) throw new Error('no containerd host given');
      const r = await teardownContainerd(c, host);
      if (r.pods > 0) d.progress(`Removed ${r.pods} pod(s) of ${n.name}`);
      if (r.stopped) d.progress(`Stopped the containerd of ${n.name} (pid ${c.pid ?? '?'})`);
      if (r.swept.length > 0) d.progress(`Swept after the containerd of ${n.name}: ${r.swept.join(', ')}`);
    })) {
      delete s.containerd?.[n.name];
      await d.save();
    }
  }));
  for (const n of s.plan.nodes) {
    if (s.containerd !== undefined) break; // a containerd cluster: no Docker containers
    await attempt(`remove containers of ${n.name}`, async () => {
      const count = await d.removeContainers(s.runtimeEndpoint, n.name);
      if (count > 0) d.progress(`Removed ${count} container(s) of ${n.name}`);
    });
  }
  if (s.serverPid !== undefined) {
    const pid = s.serverPid;
    if (await attempt('stop the control plane', async () => { if (await d.stopProcess(pid, s.plan.dataDir)) d.progress(`Stopped the control plane (pid ${pid})`); })) {
      delete s.serverPid;
      await d.save();
    }
  }
  for (const link of [...s.hostLinks].reverse()) {
    if (await attempt(`delete link ${link}`, () => ip('link', 'del', link))) {
      await d.linkGone?.(link);
      s.hostLinks = s.hostLinks.filter((l) => l !== link);
      await d.save();
    }
  }
  for (const ns of [...s.netns].reverse()) {
    if (await attempt(`delete netns ${ns}`, () => ip('netns', 'del', ns))) {
      s.netns = s.netns.filter((x) => x !== ns);
      await d.save();
    }
  }
  for (const route of [...s.hostRoutes].reverse()) {
    if (await attempt(`delete route ${route.join(' ')}`, () => ip('route', 'del', ...route))) {
      s.hostRoutes = s.hostRoutes.filter((r) => r !== route);
      await d.save();
    }
  }
  return errors;
}

/** True when the state lists nothing left to remove. */
export function isEmpty(s: ClusterState): boolean {
  return Object.keys(s.containerd ?? {}).length === 0 && s.netns.length === 0 && s.hostLinks.length === 0 && s.hostRoutes.length === 0 && s.serverPid === undefined && Object.keys(s.agentPids).length === 0;
}
