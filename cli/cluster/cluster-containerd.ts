/**
 * `cluster up --runtime containerd`: one containerd per node, started inside the node's network
 * namespace, so its CRI plugin runs CNI there (the pod bridge, veths and host-local IPs are the
 * node's). Own root (under the node's data dir), state and socket (under /run), runc root, CNI
 * conf_dir and conf_template, all from the one renderer (cri/containerd/config-writer.ts); the
 * agent's UpdateRuntimeConfig brings the podCIDR. The sandbox and test images are imported into
 * each (namespace k8s.io), as `tinykube image import --runtime-endpoint containerd://…` does.
 *
 * Started with `nsenter --net=`, not `ip netns exec`: the latter gives the process a private mount
 * namespace with a fresh /sys, which hides the cgroup mounts (runc: "no cgroup mount found in
 * mountinfo"). With nsenter containerd's mounts are the host's, and `down` unmounts what is left.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeContainerdConfig } from '../../cri/containerd/config-writer.js';
import { importIntoContainerd } from '../../cri/images/image-import.js';
import { DEFAULT_IMAGE_DIR } from '../../cri/images/test-images.js';
import type { Runner } from '../../lib/exec/runner.js';
import { spawnDetached } from '../daemon-processes.js';
import type { Started } from '../daemon-processes.js';
import type { ClusterPlan, NodePlan } from './cluster-plan.js';
import { POD_BRIDGE } from './cluster-plan.js';
import type { ClusterState, NodeContainerd } from './cluster-state.js';

/** Where the nodes' containerd sockets and state live: /run/tinykube/clusters/<C>/<node>. */
export const CLUSTER_RUN_ROOT = '/run/tinykube/clusters';
/** The images every containerd node gets: the sandbox, then the test images. */
export const NODE_IMAGES: readonly string[] = ['pause-1', 'busybox-1', 'web-1', 'web-2', 'web-3'].map((n) => join(DEFAULT_IMAGE_DIR, `tinykube-${n}.tar`));

/** PURE. The paths of a node's containerd. */
export function nodeContainerdPlan(p: ClusterPlan, n: NodePlan): NodeContainerd {
  const runDir = join(CLUSTER_RUN_ROOT, p.name, n.name);
  const own = join(n.dataDir, 'containerd');
  return {
    address: join(runDir, 'containerd.sock'), root: join(own, 'root'), state: join(runDir, 'state'), runDir,
    configDir: join(own, 'config'), network: n.netns,
  };
}

export const endpointOf = (c: NodeContainerd): string => `containerd://${c.address}`;
export const containerdLogOf = (n: NodePlan): string => join(n.dataDir, 'containerd.log');

/** PURE. The command line that runs containerd in the node's network namespace (and nothing else of it). */
export function containerdCommandLine(n: NodePlan, c: NodeContainerd): string[] {
  return [`--net=/run/netns/${n.netns}`, 'containerd', '--config', join(c.configDir, 'config.toml')];
}

export interface ContainerdSteps { exec: Runner; state: ClusterState; save: () => Promise<void> }

/** What `up` checks before it creates anything. */
export function containerdPreflight(images: readonly string[] = NODE_IMAGES): void {
  const missing = images.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`--runtime containerd needs the test images: ${missing.join(', ')} missing (run tinykube image build-test)`);
}

/**
 * Writes the node's config and starts its containerd (recorded in the state before the start, so
 * `down` finds its dirs even when the start fails half-way). Returns at once; see waitContainerd.
 */
export async function startContainerd(x: ContainerdSteps, n: NodePlan): Promise<Started> {
  const c = nodeContainerdPlan(x.state.plan, n);
  x.state.containerd = { ...x.state.containerd, [n.name]: c };
  await x.save();
  await mkdir(c.root, { recursive: true, mode: 0o700 });
  await mkdir(c.state, { recursive: true, mode: 0o711 });
  await writeContainerdConfig(c.configDir, {
    root: c.root, state: c.state, address: c.address,
    // the node netns has no FORWARD DROP (Docker's is the host's): no firewall plugin, as the Docker nodes
    network: { name: c.network, bridge: POD_BRIDGE, dataDir: join(n.dataDir, 'cni', 'networks'), firewall: false },
  });
  const started = spawnDetached('nsenter', containerdCommandLine(n, c), containerdLogOf(n));
  c.pid = started.pid;
  await x.save();
  return started;
}

/** Waits until the node's containerd answers, then imports the images into it. */
export async function waitContainerd(x: ContainerdSteps, n: NodePlan, started: Started, o: { timeoutMs?: number; images?: readonly string[] } = {}): Promise<void> {
  const c = x.state.containerd?.[n.name];
  if (c === undefined) throw new Error(`no containerd recorded for ${n.name}`);
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (;;) {
    if (started.exited()) throw new Error(`the containerd of ${n.name} exited during start: see ${containerdLogOf(n)}`);
    if (existsSync(c.address) && await x.exec.run('ctr', ['--address', c.address, 'version']).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`the containerd of ${n.name} does not answer on ${c.address}: see ${containerdLogOf(n)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const image of o.images ?? NODE_IMAGES) await importIntoContainerd(image, c.address);
}
